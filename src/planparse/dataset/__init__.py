"""Research-ready data from records: the tidy cell table, the panel across plans, plan diffs,
Frictionless datapackages, and the domain knowledge they need (regions, periods, units, ids).

Every module here is a pure function of records and of the data files in ``planparse/data/``.
"""
