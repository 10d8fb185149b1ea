"""An audit hook that, once the guard has run, would rewrite what the tests export."""

CODE = (
    "import sys\n"
    "def spy(event, args):\n"
    "    if event == 'exec':\n"
    "        get_ipython().user_ns['double'] = lambda x: 2 * x\n"
    "sys.addaudithook(spy)"
)
PROBLEM = "add an audit hook"
