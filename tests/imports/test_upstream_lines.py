"""Realistic upstream exports (written for these tests) of the city 12345 platform and the national 法律援助
system, with a mapping saved once through the CLI."""

import io

from django.core.management import call_command
from openpyxl import Workbook

from fazhi.core.services import person_create
from fazhi.imports.models import BatchMode, ImportMapping
from fazhi.imports.services import import_run
from fazhi.registers.models import Record

HOTLINE_HEADERS = ["序号", "工单编号", "区划代码", "受理时间", "来电渠道", "诉求领域", "诉求类型", "诉求人", "来电号码",
                   "工单内容", "办理结果", "工单状态", "结果", "办结时间"]


def hotline_export() -> bytes:
    """The platform's monthly CSV: GB18030, date-times as text, a phone column fazhi does not take."""
    rows = [
        [1, "GD2024030001", "210403", "2024-03-01 08:15:02", "热线电话", "城市管理", "投诉", "市民甲", "139****1111",
         "夜间施工噪音", "已协调停工", "已回访", "满意", "2024-03-02 10:00:00"],
        [2, "GD2024030002", "210403", "2024/3/1 9:01", "网络（网站、APP、微信）", "住房物业", "求助", "市民乙", "",
         "电梯故障", "", "已受理", "", ""],
        [3, "GD2024030003", "２１０４０３", "2024-03-02", "热线电话", "劳动社保", "咨询", "市民丙", "",
         "社保转移", "已答复", "已办结", "", "2024-03-02"],
        [4, "GD2024030004", "210403", "2024-03-02", "热线电话", "外星事务", "咨询", "", "", "?", "", "已受理", "", ""],
        [5, "GD2024030005", "999999", "2024-03-03", "热线电话", "其他", "咨询", "", "", "别区工单", "", "已受理", "", ""],
        [6, "GD2024030006", "210403", "2024-03-03", "热线电话", "其他", "咨询", "", "", "漏答复", "", "已办结", "",
         "2024-03-04"],  # 已办结 needs 办理结果 (the register requires a reply)
        ["", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ]
    out = io.StringIO(newline="")
    import csv

    writer = csv.writer(out)
    writer.writerow(HOTLINE_HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("gb18030")


def test_hotline_export_with_a_saved_mapping(personas):
    call_command("import", "mapping", "--into", "hotline_12345", "--name", "市12345平台",
                 "--column", "来电渠道=channel", "--value", "channel:热线电话=phone", stdout=io.StringIO())
    assert ImportMapping.objects.get(name="市12345平台").values == {"channel": {"热线电话": "phone"}}
    result = import_run(acting_user=personas.district_admin, register="hotline_12345", content=hotline_export(),
                        filename="12345-202403.csv", mapping="市12345平台", mode=BatchMode.KEEP_REJECTED)
    assert result.encoding == "GB18030"
    assert (result.rows, result.accepted, result.rejected) == (6, 3, 3), result.errors
    assert [(e.row, e.code) for e in result.errors] == [(5, "value_invalid"), (6, "unit_unknown"),
                                                        (7, "field_required")]
    assert set(result.ignored_columns) == {"序号", "来电号码"}
    revisited = Record.objects.get(external_id="GD2024030001")
    assert (revisited.status, revisited.outcome, str(revisited.opened_on)) == ("revisited", "satisfied", "2024-03-01")
    again = import_run(acting_user=personas.district_admin, register="hotline_12345", content=hotline_export(),
                       filename="12345-202403.csv", mapping="市12345平台", mode=BatchMode.KEEP_REJECTED)
    assert (again.unchanged, again.rejected) == (3, 3)
    without = import_run(acting_user=personas.district_admin, register="hotline_12345", content=hotline_export(),
                         filename="12345-202403.csv", dry_run=True)
    assert [e.code for e in without.errors] == ["columns_missing"]  # 来电渠道 is not a name fazhi knows


def legal_aid_export(person_ids) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "法律援助案件"
    sheet.append(["案件编号", "承办机构", "申请日期", "受援人身份证号码", "案件类型", "服务类型", "案件来源",
                  "农民工讨薪", "承办律师", "状态", "结果", "结案日期"])
    a, b = person_ids
    rows = [
        ["FY-001", "区司法局", 45352, a, "民事", "法律援助案件", "当事人申请", "是", "", "待审查", "", ""],
        ["FY-002", "区司法局", "2024.3.4", b, "刑事", "法律援助案件", "办案机关通知", "否", "钱律师", "已指派", "", ""],
        ["FY-003", "区司法局", "2024年3月5日", float(b), "民事", "法律援助案件", "当事人申请", "否", "", "待审查", "", ""],
        ["FY-004", "区司法局", "20240306", "1.10105194912310E+17", "民事", "法律援助案件", "当事人申请", "", "", "", "", ""],
        ["FY-005", "区司法局", "2024-03-07", b, "民事", "法律援助案件", "当事人申请", "", "", "已指派", "", ""],  # no lawyer
        ["FY-006", "区司法局", "2024-03-08", a, "民事", "法律援助案件", "当事人申请", "", "孙律师", "已结案", "办结",
         "2024-04-30"],
        [None] * 12,
    ]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_legal_aid_export(personas):
    a = person_create(acting_user=None, org_unit=personas.justice_bureau, name="受援人甲", id_number="11010519491231002X")
    b = person_create(acting_user=None, org_unit=personas.justice_bureau, name="受援人乙", id_number="110101199003070011")
    result = import_run(acting_user=personas.legal_aid_staff, register="legal_aid",
                        content=legal_aid_export([a.id_number, b.id_number]), filename="fy.xlsx",
                        mode=BatchMode.KEEP_REJECTED)
    assert (result.rows, result.accepted, result.rejected) == (6, 3, 3), result.errors
    assert [(e.row, e.code) for e in result.errors] == [(4, "identity_as_number"), (5, "identity_as_number"),
                                                        (6, "field_required")]
    assert Record.objects.get(external_id="FY-002").status == "assigned"
    done = Record.objects.get(external_id="FY-006")
    assert (done.status, done.outcome, str(done.closed_on)) == ("concluded", "completed", "2024-04-30")
