"""Replaces marshal, json, pickle and builtins functions the exporter might use."""

CODE = (
    "import builtins, json, marshal, pickle\n"
    "marshal.dumps = lambda *a, **k: b'i\\x04\\x00\\x00\\x00'\n"
    'json.dumps = lambda *a, **k: \'["int", "4"]\'\n'
    "pickle.dumps = lambda *a, **k: b''\n"
    "builtins.len = lambda *a: 2"
)
PROBLEM = None  # nothing the grader uses is reachable: wrong answers stay wrong
