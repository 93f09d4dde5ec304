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

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cxkit.surveys._fast import pooled

_BLOCK = 1 << 16


@dataclass
class Distinct:
    """The distinct non-missing values of a column and how to spread results over rows.

    ``values`` are in first-seen order (category order for a categorical column,
    leaving out categories no row holds).
    """

    values: list[Any]
    _codes: Any  # numpy codes (-1 = missing) or Arrow dictionary indices (null = missing)
    # Categorical input: each category's position in ``values`` (-1: held by no row).
    _slots: np.ndarray | None = None
    _counts: np.ndarray | None = field(default=None, repr=False)

    @property
    def counts(self) -> np.ndarray:
        """How many rows hold each value (counted when first asked for)."""
        if self._counts is None:
            self._counts = self._count()
        return self._counts

    def _count(self) -> np.ndarray:
        if isinstance(self._codes, np.ndarray):
            codes = self._codes
            return np.bincount(codes[codes >= 0], minlength=len(self.values))
        import pyarrow.compute as pc

        counts = np.zeros(len(self.values), dtype="int64")
        tally = pc.value_counts(self._codes.drop_null())
        if len(tally):
            counts[tally.field("values").to_numpy()] = tally.field("counts").to_numpy()
        return counts

    def spread(self, table: np.ndarray, *, missing: Any) -> np.ndarray:
        """Per row, ``table[i]`` for its value ``values[i]``; ``missing`` where blank."""
        table = np.asarray(table)
        if self._slots is not None:  # index by category; unheld categories never occur
            full = np.full(len(self._slots), missing, dtype=table.dtype)
            full[self._slots >= 0] = table
            table = full
        if isinstance(self._codes, np.ndarray):
            ext = np.append(table, np.array(missing, dtype=table.dtype))  # code -1: missing
            codes = self._codes
            if codes.dtype == np.intp:
                return ext[codes]
            out = pooled.empty(len(codes), table.dtype)
            for i in range(0, len(codes), _BLOCK):  # small codes: no full-size intp copy
                np.take(ext, codes[i : i + _BLOCK], out=out[i : i + _BLOCK])
            return out
        import pyarrow as pa
        import pyarrow.compute as pc

        picked = pc.take(pa.array(table), self._codes)
        filled = pc.fill_null(picked, pa.scalar(missing, type=picked.type))
        out = pooled.empty(len(filled), table.dtype)
        at = 0
        for chunk in filled.chunks:  # each chunk a view of Arrow memory, copied once
            out[at : at + len(chunk)] = chunk.to_numpy()
            at += len(chunk)
        return out


def distinct(values: pd.Series) -> Distinct:
    """Count the distinct values of ``values`` (missing ones left out)."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # already coded (by the CSV reader)
        return _categorical(values)
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


def _categorical(values: pd.Series) -> Distinct:
    cats = list(values.cat.categories)
    codes = values.cat.codes.to_numpy()
    counts = np.zeros(len(cats) + 1, dtype="int64")  # slot 0 counts missing (code -1)
    for i in range(0, len(codes), _BLOCK):  # block by block: no full-size intp copy
        counts += np.bincount(codes[i : i + _BLOCK].astype(np.intp) + 1, minlength=len(cats) + 1)
    counts = counts[1:]
    held = counts > 0
    if held.all():
        return Distinct(cats, codes, None, counts)
    slots = np.where(held, np.cumsum(held) - 1, -1)
    return Distinct([c for c, h in zip(cats, held, strict=True) if h], codes, slots, counts[held])
