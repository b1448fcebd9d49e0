"""Writing together in tests: complete the sections a report needs before it can be approved."""

from fazhi.reports.services import report_open, section_accept, section_assign, section_save, section_submit

# Sample texts written for the tests (not taken from any real report).
OFFICE_TEXTS = {
    "shortcomings": "基层法治力量仍然薄弱，部分乡镇司法所只有一名工作人员。\n行政执法人员培训的针对性有待提高。",
    "leaders_duty": "主要负责人年内专题研究法治建设工作，带头讲法治课。",
    "next_year": "继续推进行政执法三项制度，完善公共法律服务网络。",
}


def contribute(office, *, report, section: str, unit, text: str, writer=None):
    """Assign a section to `unit`, let `writer` (default: the office) write and submit it, accept it."""
    assignment = section_assign(acting_user=office, report=report, section=section, org_unit=unit)
    section_save(acting_user=writer or office, assignment=assignment, text=text)
    section_submit(acting_user=writer or office, assignment=assignment)
    return section_accept(acting_user=office, assignment=assignment)


def sections_complete(office, *, unit, year: int):
    """The office writes the parts that have no figures, so that the gate can pass."""
    report = report_open(acting_user=office, org_unit=unit, year=year)
    for section, text in OFFICE_TEXTS.items():
        contribute(office, report=report, section=section, unit=unit, text=text)
    return report
