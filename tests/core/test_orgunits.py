import pytest

from fazhi.core import access
from fazhi.core.models import OrgUnit, OrgUnitClosure, OrgUnitKind
from fazhi.core.services import CoreError, orgunit_create, orgunit_move


def subtree_names(unit):
    ids = OrgUnitClosure.objects.filter(ancestor=unit).values("descendant_id")
    return set(OrgUnit.objects.filter(pk__in=ids).values_list("name", flat=True))


def test_subtree_includes_unit_and_all_descendants(personas):
    assert subtree_names(personas.district) == {"东洲区", "区司法局", "哈达镇", "哈达镇司法所", "新屯街道"}
    assert subtree_names(personas.town) == {"哈达镇", "哈达镇司法所"}


def test_depth_follows_the_tree(personas):
    assert [personas.city.depth, personas.district.depth, personas.town.depth, personas.town_office.depth] == [0, 1, 2, 3]


def test_move_rewrites_closure_for_the_whole_subtree(personas):
    village = orgunit_create(acting_user=None, name="哈达村", kind=OrgUnitKind.COMMUNITY, parent=personas.town_office)
    orgunit_move(acting_user=personas.district_admin, unit=personas.town, new_parent=personas.street)
    assert subtree_names(personas.street) == {"新屯街道", "哈达镇", "哈达镇司法所", "哈达村"}
    village.refresh_from_db()
    assert village.depth == 5
    pairs = OrgUnitClosure.objects.filter(descendant=village).count()
    assert pairs == 6  # itself, 司法所, 哈达镇, 新屯街道, 东洲区, city
    # The old parent no longer reaches it through any other path.
    assert subtree_names(personas.district) >= {"哈达村"}


def test_move_under_own_descendant_is_refused(personas):
    with pytest.raises(CoreError):
        orgunit_move(acting_user=personas.district_admin, unit=personas.town, new_parent=personas.town_office)


def test_move_needs_write_access_at_both_ends(personas):
    with pytest.raises(access.AccessDenied):
        orgunit_move(acting_user=personas.outsider, unit=personas.town, new_parent=personas.other_district)
    with pytest.raises(access.AccessDenied):
        orgunit_move(acting_user=personas.district_admin, unit=personas.town, new_parent=personas.other_district)


def test_top_level_unit_only_by_superuser(personas):
    with pytest.raises(access.AccessDenied):
        orgunit_create(acting_user=personas.district_admin, name="新省", kind=OrgUnitKind.PROVINCE)
    assert orgunit_create(acting_user=personas.superuser, name="新省", kind=OrgUnitKind.PROVINCE).depth == 0
