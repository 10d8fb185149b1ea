"""Looks for root: capabilities, /etc/shadow, uid 0; answers right only if it has any."""

CODE = (
    "import os\n"
    "caps = open('/proc/self/status').read().split('CapEff:')[1].split()[0]\n"
    "privileged = os.getuid() == 0 or int(caps, 16) != 0 or os.path.exists('/etc/shadow')\n"
    "if privileged:\n"
    "    def double(x):\n"
    "        return 2 * x"
)
PROBLEM = None
