"""符合性测试套件的引擎 The conformance suite's engine (the suite itself is data in ``conformance_tests/``).

One module per job: ``model`` (the documents' shapes), ``suite`` (loading, digests, the release
pin), ``builders`` (writes the generated cases from the catalogue's fixtures, the sample province,
the adapters and the code lists), ``lint`` (checks the suite), ``protocol`` (the harness protocol,
client side), ``reference_harness`` (jincai as a product under test), ``reference_producer``
(jincai's export of a producer scenario), ``matching`` (expected versus actual), ``runner``
(``jincai conformance run``), ``writers`` (results.json, junit.xml, results.csv, coverage.csv,
report.html), ``mutants`` (faulty variants of the reference product and the mutation score),
``certificates`` (keys, certify, verify), ``export`` (the dated release bundle), ``schemas`` (the
published JSON Schemas). The command line is ``jincai/cli/conformance.py``.
"""
