"""First set-up of a district from CSV: units and users, all or nothing, problems named by row and column."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from fazhi.core.models import AuditEvent, Membership, OrgUnit
from fazhi.core.setupcsv import CsvImportError, units_import, users_import

UNITS = """名称,类型,上级单位,行政区划代码,常住人口
南湖区,区县,,330402,"350,000"
南湖区司法局,部门,南湖区,,
七星街道,街道,南湖区,330402001,52000
七星司法所,机构,南湖区/七星街道,,
"""
USERS = """用户名,姓名,初始密码,角色,单位,状态
nh_admin,王主任,Nanhu-admin-2025,区级管理员,南湖区,启用
qx_clerk,李联络,Qixing-clerk-2025,clerk,南湖区/七星街道,
qx_clerk,,,mediator,南湖区/七星街道/七星司法所,
old_user,赵离任,Old-user-pass-1,clerk,南湖区/七星街道,停用
"""


def test_units_then_users_from_csv_in_utf8_with_bom_and_gb18030(db, tmp_path):
    units_file = tmp_path / "units.csv"
    units_file.write_bytes(UNITS.encode("utf-8-sig"))
    call_command("units", "import", str(units_file))
    office = OrgUnit.objects.get(name="七星司法所")
    assert office.parent.name == "七星街道" and office.depth == 2
    assert OrgUnit.objects.get(name="南湖区").population == 350000
    users_file = tmp_path / "users.csv"
    users_file.write_bytes(USERS.encode("gb18030"))
    call_command("users", "import", str(users_file))
    User = get_user_model()
    clerk = User.objects.get(username="qx_clerk")
    assert clerk.check_password("Qixing-clerk-2025")
    assert sorted(Membership.objects.filter(user=clerk).values_list("role__code", flat=True)) == ["clerk", "mediator"]
    assert not User.objects.get(username="old_user").is_active
    assert AuditEvent.objects.filter(action="user.create").count() == 3
    assert AuditEvent.objects.filter(action="orgunit.create").count() == 4
    # Exported files read back the same paths.
    out = tmp_path / "out.csv"
    call_command("units", "export", str(out))
    text = out.read_bytes().decode("utf-8-sig")
    assert "七星司法所,机构,南湖区/七星街道,," in text
    call_command("users", "export", str(out))
    text = out.read_bytes().decode("utf-8-sig")
    assert "qx_clerk,李联络,,联络员,南湖区/七星街道,启用" in text
    assert "qx_clerk,李联络,,人民调解员,南湖区/七星街道/七星司法所,启用" in text
    assert "old_user,赵离任,,联络员,南湖区/七星街道,停用" in text
    assert "Qixing-clerk-2025" not in text


def test_a_bad_file_imports_nothing_and_names_rows_and_columns(db):
    bad = (UNITS + "北湖镇,镇子,南湖区,12,很多\n乡村,乡镇,不存在区,,\n").encode("utf-8")
    with pytest.raises(CsvImportError) as refused:
        units_import(acting_user=None, data=bad)
    messages = [str(p) for p in refused.value.problems]
    assert any(m.startswith("第6行“类型”列") for m in messages)
    assert any(m.startswith("第6行“行政区划代码”列") for m in messages)
    assert any(m.startswith("第6行“常住人口”列") for m in messages)
    assert any(m.startswith("第7行“上级单位”列") for m in messages)
    assert not OrgUnit.objects.filter(name="南湖区").exists()


def test_users_refused_whole_on_a_weak_password_or_unknown_unit(db, tmp_path):
    units_import(acting_user=None, data=UNITS.encode())
    bad = USERS + "weak,弱,123,clerk,南湖区,\nlost,迷路,Lost-user-2025,clerk,北湖区,\n"
    with pytest.raises(CsvImportError) as refused:
        users_import(acting_user=None, data=bad.encode())
    messages = [str(p) for p in refused.value.problems]
    assert any(m.startswith("第6行“初始密码”列") for m in messages)
    assert any(m.startswith("第7行“单位”列") for m in messages)
    assert not get_user_model().objects.filter(username="nh_admin").exists()
    file = tmp_path / "u.csv"
    file.write_bytes(bad.encode())
    with pytest.raises(CommandError, match="第6行"):
        call_command("users", "import", str(file))


def test_a_missing_column_is_named(db):
    with pytest.raises(CsvImportError) as refused:
        units_import(acting_user=None, data="名称,类型\n甲,区县\n".encode())
    assert {p.column for p in refused.value.problems} == {"上级单位", "行政区划代码", "常住人口"}
