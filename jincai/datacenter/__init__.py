"""数据中心 The data center: consolidated 10-day/monthly reports and the fiscal position, as of any moment.

Built on the gateway's store (``jincai.gateway.store``: versions, supersession, history) and on the
queries and rules of the top-level ``datacenter/`` folder (written once, transpiled by sqlglot):

* ``consolidate.consolidate(store, region, period, as_of)`` → ``Consolidation``;
* ``position.position(store, region, as_of)`` → ``Position``;
* ``output`` renders either as a rich table, JSON or XLSX with Chinese headers.
"""
