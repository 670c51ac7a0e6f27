"""全省财政数据中心报送网关 The data center's gRPC ingestion gateway.

Counties and cities stream their data (``proto/jincai/ingest/v1/ingest.proto``); the gateway
authenticates them, checks what they may do, validates with the same engine as ``jincai validate``,
stores what is valid as a new version of the region's data, quarantines the rest with its report,
and answers with a receipt it signs — only after the data is durably committed.

One module per job: ``server`` (the gRPC service), ``auth`` (who is calling and what they may do),
``ca`` (the local certificate authority for mutual TLS), ``regions`` (the region hierarchy),
``receipts`` (Ed25519 signed receipts), ``audit`` (the hash-chained audit log), ``ingest`` (a
stream → spooled files → validation → a commit), ``errors`` (gateway error codes and google.rpc
details), ``config`` (the data folder and limits), ``client`` (the Python client ``jincai submit``
uses), ``store/`` (DuckDB and PostgreSQL, migrations).
"""
