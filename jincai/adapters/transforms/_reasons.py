"""Reason codes of the readers and the engine, with a generic description (zh, en); each transform
family adds its own codes to ``REASONS`` beside its transforms."""

from __future__ import annotations

#: Every reason code an adapter run can give, with a generic description (zh, en) — used in the
#: ledger, where the row-specific message (which may quote a value) is not shown. Codes are stable:
#: they are never renamed, only added. Codes not listed here come from the standard's model
#: (pydantic error types such as ``string-pattern-mismatch``, and the identifier checks of
#: ``jincai.identifiers`` such as ``citizen-id-check-char``).
REASONS: dict[str, tuple[str, str]] = {
    # readers
    "csv-field-count": ("字段个数与表头不符", "number of fields differs from the header"),
    "fixed-width-record-length": ("定长记录的字节长度不对", "fixed-width record of the wrong byte length"),
    "fixed-width-split-character": ("字段边界切断了多字节字符", "a field boundary cuts a multi-byte character"),
    "undecodable-bytes": ("含有不能按编码解码的字节", "bytes that do not decode in the encoding"),
    "sql-value-not-literal": ("值不是字面量（转储只读取字面量，从不执行）", "a value that is not a literal (a dump is read, never executed)"),
    "sql-value-invalid": ("值不能作为所在列的类型装入", "a value that does not fit its column's type"),
    "sql-value-count": ("值的个数与列数不符", "the number of values differs from the number of columns"),
    "sql-join-unmatched": ("内连接找不到匹配的行", "an inner join finds no matching row"),
    "sql-join-duplicated": ("连接匹配到多行，这一行会被重复计算", "a join matches several rows: the row would be counted more than once"),
    "sql-query-dropped": ("提取查询的结果中没有这一行", "the extraction query's result lacks the row"),
    "sheet-not-selected": ("工作表未被配置的 sheets 选中，未读取", "sheet not selected by the profile's sheets option; not read"),
    "dbf-record-past-count": ("记录在 DBF 表头声明的记录数之外", "a record past the DBF header's record count"),
    "dbf-record-truncated": ("DBF 记录被截断", "a DBF record cut short"),
    "dbf-records-missing": ("DBF 表头声明的记录在文件中不存在", "records the DBF header declares are not in the file"),
    "dbf-data-after-end": ("DBF 文件结束标记（0x1A）之后还有数据", "data after the DBF end-of-file mark (0x1A)"),
    "dbf-padding": ("DBF 文件结束标记之后的填充字节", "padding after the DBF end-of-file mark"),
    "dbf-bad-value": ("DBF 字段的值无法读取（日期时间超出范围、备注指针无效…）", "a DBF value that cannot be read (date-time out of range, bad memo pointer …)"),
    "xml-record-off-path": ("记录元素不在配置的记录路径上（上级元素名不符）", "a record element off the profile's record path (a parent's name differs)"),
    "xml-unexpected-element": ("记录位置上出现了意外的元素（记录名不符）", "an unexpected element where records are (the record's name differs)"),
    "xml-no-records": ("记录路径上的元素中没有记录", "an element on the record path holds no record"),
    "xml-outside-record-path": ("不在记录路径上的元素，未读取", "an element off the record path; not read"),
    "xml-not-in-any-row": ("含记录的元素中不在任何行里的字段或文字", "fields or text of an element with records that are in no row"),
    "fixed-width-control-record": ("定长文件的控制记录（批头/批尾），其值见账本的文件级值与核对", "control record of a fixed-width file (batch header/trailer); its values are in the ledger's document values and checks"),
    "fixed-width-control-record-misplaced": ("控制记录的类型出现在布局规定的位置之外", "a control record type where the layout allows none"),
    # engine
    "missing": ("必填字段为空", "required field empty"),
    "transform-failed": ("转换出错", "a transform failed"),
    "no-target": ("没有目标接受这一行", "no target accepts the row"),
    "value-type": ("单元格类型不能转换为该字段的类型", "cell type cannot become the field's type"),
    "date-invalid": ("不是 YYYY-MM-DD 日期", "not a YYYY-MM-DD date"),
    "date-has-time": ("日期带有时间", "a date carries a time"),
    "datetime-invalid": ("不是带时区的 RFC 3339 时间", "not an RFC 3339 datetime with an offset"),
    "datetime-no-offset": ("时间没有时区偏移", "datetime without a UTC offset"),
    "boolean-invalid": ("不是 true/false", "not true/false"),
    "decimal-out-of-range": ("小数超出范围", "decimal out of range"),
    "decimal-too-many-decimals": ("小数位数过多（不四舍五入）", "too many decimals (never rounded)"),
    # transforms
}
