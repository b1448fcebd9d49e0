from fazhi.checker import evaluation


def test_evaluation_prints_and_writes_precision_recall(tmp_path, capsys):
    out = tmp_path / "quality.md"
    assert evaluation.main(["--write", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "claim span" in printed and "precision" in printed and "recall" in printed
    doc = out.read_text(encoding="utf-8")
    assert "| claim span |" in doc and "| findings |" in doc


def test_labels_point_at_existing_text():
    report = evaluation.run()
    problems = [p for s in report.scores for p in s.problems if p.startswith("label not found")]
    assert problems == []


def test_quality_targets_on_the_labelled_set():
    report = evaluation.run()
    for attr in ("spans", "strict", "findings"):
        counts = report.total(attr, report.ids_except("real", "real_holdout"))
        assert counts.precision >= 0.95 and counts.recall >= 0.95, attr
