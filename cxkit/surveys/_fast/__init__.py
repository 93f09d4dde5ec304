"""The fast paths of survey reading and scoring, kept apart from the plain computation.

Each module here does what a plain pandas expression elsewhere would do, only with
less fresh memory; `tests/surveys/test_arrow.py` holds every one to the plain result,
and `benchmarks/bench_scoring.py` measures what it saves (docs/benchmarks.md):

- :mod:`.csv_arrow`: pyarrow parses a UTF-8 export's body straight from the file,
  text columns dictionary-encoded (vs. reading the whole file into Python and the C
  parser: the largest single saving on 1M rows);
- :mod:`.distinct`: answer cleaning and stage linking run once per distinct value and
  are spread back through a code table (vs. per row);
- :mod:`.pooled`: million-row work arrays from Arrow's memory pool, which reuses what
  the reader released (vs. fresh NumPy arrays, whose first touch was the cost here).

Nothing outside :mod:`cxkit.surveys` and :mod:`cxkit.scoring` imports these.
"""
