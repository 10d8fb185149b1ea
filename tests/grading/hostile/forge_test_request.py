"""Runs a test cell through the sentry itself, with checks rewritten to pass."""

CODE = (
    "import sys\n"
    "sys.audit('coopcourse.test', 'guess', \"__cc_check__('fx_demo.q1.1', lambda: 4)\", "
    "(), False, globals())"
)
PROBLEM = "a test was run by the notebook itself"
