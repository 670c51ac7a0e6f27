"""样例数据生成器 Sample data: a whole fiscal year of one city or county, following the business chain.

    from jincai.sample import Options, generate
    manifest = generate(Options(out=Path("out"), region="130600", year=2024, scale=10))

``jincai sample --out DIR --region 130600 --year 2024 --scale N [--format jsonl|csv|avro]
[--defects K --seed S]`` writes ``DIR/<entity>.<ext>`` (one file per entity, every region of the
dataset in it, region by region) and ``DIR/manifest.json``.

Scale
-----
``N`` (``--scale``) = budget units (预算单位) per fiscal region. A city dataset has the city's own
level plus every county-level region under it valid that year (保定市 130600 in 2024: 1 + 26 = 27
regions); a county dataset is one region. Per budget unit and year the chain produces on average
≈ 104 payment vouchers and ≈ 1,040 records of its own (budget, indicators, plans, payments,
payroll ≈ 230, accounting); each region adds per unit 15 tax receipts and 4 non-tax notices with
their lines and accounting (≈ 88 records), plus 10 expense quotas, 48 reports (96 for a city with
counties) and 20 envelopes. Hence for a dataset of R regions:

    payment vouchers ≈ 104 · R · N        records ≈ 1,130 · R · N

Measured for 保定市 (R = 27): ``--scale 360`` → 1,006,109 payment vouchers, 10,978,272 records
(3.8 GB of JSON Lines); ``--scale 330`` → ≈ 0.92 M vouchers, ≈ 10.1 M records.

Output
------
JSON Lines are canonical (``jincai.canonical.dumps_record`` byte for byte); CSV has a header of the
canonical field names in entity order, money/decimal as their JSON strings, ISO dates, ``true`` /
``false``, empty cell = null; Avro uses ``jincai.avro_io.write_avro``. The same arguments give
byte-identical files (seeded ``random.Random`` per region, unit and stream; no clock).

``submission_envelope.content_sha256`` = SHA-256 of the region's records of that entity as
canonical JSON Lines (UTF-8, each line ending with ``\\n``, in file order) — whatever the output
format; ``record_count`` = their number. The province and city rows of ``fiscal_region`` (ancestors)
belong to the requested region's submission.

Defects: see ``jincai.sample.defects``.
"""

from jincai.sample.build import FORMATS, Options, generate

__all__ = ["FORMATS", "Options", "generate"]
