"""The report kernel: which interpreter runs it, and what its process skips."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def skip_slow_optional_imports() -> None:
    """Skip an optional jsonschema format checker whose import costs ~2 s.

    ``jsonschema`` (pulled in by nbformat) imports ``rfc3987_syntax`` when it is
    installed, which builds a Lark grammar at import time. It only checks the
    "iri" string formats, which no notebook uses. Must run before nbformat loads.
    It changes ``sys.modules``, so only a process cxkit owns calls it: a batch worker
    and the ``cxkit`` command, never a library call in a user's own process.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def kernel_manager_class() -> type:
    """A kernel manager that always runs *this* interpreter's ipykernel.

    A user-level ``python3`` kernelspec (``~/.local/share/jupyter/kernels``) may
    point at another Python without cxkit; naming the interpreter avoids it, and
    PYTHONPATH makes a source checkout importable in the kernel.
    """
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    package_root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)

    class CxkitKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._kernel_spec = KernelSpec(
                argv=[
                    sys.executable,
                    "-Xfrozen_modules=off",
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                display_name="cxkit (python3)",
                language="python",
                env={"PYTHONPATH": path, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
            )

        async def _async_pre_start_kernel(self, **kw: Any) -> Any:
            # The kernel's own log lines (TCP warning, interrupt on shutdown) are noise
            # here; cell errors are captured in the notebook.
            kw.setdefault("stderr", subprocess.DEVNULL)
            return await super()._async_pre_start_kernel(**kw)

    return CxkitKernelManager
