"""Captures what passes through the kernel and raises it from a visible check, hoping
the feedback prints the message (hidden check ids and inputs)."""

CODE = (
    "import sys\n"
    "seen = []\n"
    "get_ipython().input_transformers_cleanup.append(lambda lines: seen.extend(lines) or lines)\n"
    "def double(x):\n"
    "    seen.append(repr(x))\n"
    "    raise ValueError('LEAKED ' + ' '.join(seen))"
)
PROBLEM = None
