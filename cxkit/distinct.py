"""A column's distinct values, and each row mapped through a table built from them.

Survey columns hold few distinct answers over many rows, so the importer works
on the distinct values (parse, clean or link each once) and then spreads the
result back over the rows. :func:`distinct` does the counting; :meth:`Distinct.spread`
does the spreading. Text read by pyarrow stays in Arrow for both steps, which
avoids pandas' full-length integer codes (a measured 3x on a million rows, and
far less fresh memory); other columns go through :func:`pandas.factorize`.

>>> import pandas as pd
>>> d = distinct(pd.Series(["b", "a", None, "b"]))
>>> d.values, d.counts.tolist()
(['b', 'a'], [2, 1])
>>> d.spread(np.array([10, 20]), missing=-1).tolist()
[10, 20, -1, 10]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Distinct:
    """The distinct non-missing values of a column (first-seen order) and their counts."""

    values: list[Any]
    _codes: Any  # numpy codes (-1 = missing) or Arrow dictionary indices (null = missing)

    @cached_property
    def counts(self) -> np.ndarray:
        """How many rows hold each value (counted when first asked for)."""
        counts = np.zeros(len(self.values), dtype="int64")
        if isinstance(self._codes, np.ndarray):
            codes = self._codes
            return np.bincount(codes[codes >= 0], minlength=len(self.values))
        import pyarrow.compute as pc

        tally = pc.value_counts(self._codes.drop_null())
        if len(tally):
            counts[tally.field("values").to_numpy()] = tally.field("counts").to_numpy()
        return counts

    def spread(self, table: np.ndarray, *, missing: Any) -> np.ndarray:
        """Per row, ``table[i]`` for its value ``values[i]``; ``missing`` where blank."""
        table = np.asarray(table)
        if isinstance(self._codes, np.ndarray):
            return np.append(table, np.array(missing, dtype=table.dtype))[self._codes]
        import pyarrow as pa
        import pyarrow.compute as pc

        picked = pc.take(pa.array(table), self._codes)
        filled = pc.fill_null(picked, pa.scalar(missing, type=picked.type))
        out = np.asarray(filled.to_numpy(), dtype=table.dtype)
        return out if out.flags.writeable else out.copy()  # one chunk: a view of Arrow memory


def distinct(values: pd.Series) -> Distinct:
    """Count the distinct values of ``values`` (missing ones left out)."""
    if isinstance(values.array, pd.arrays.ArrowStringArray) and len(values):
        import pyarrow as pa
        import pyarrow.compute as pc

        encoded = pc.dictionary_encode(pa.chunked_array(pa.array(values))).unify_dictionaries()
        if encoded.num_chunks:
            indices = pa.chunked_array(
                [c.indices for c in encoded.chunks], type=encoded.type.index_type
            )
            return Distinct(encoded.chunk(0).dictionary.to_pylist(), indices)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return Distinct(list(uniques), codes)
