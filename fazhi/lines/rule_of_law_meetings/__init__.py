"""法治建设会议: meetings of the rule-of-law committee and reports heard by the Party committee (a data set)."""
