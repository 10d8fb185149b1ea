"""Patches ZMQDisplayPublisher.publish to show fake results and forges signed-looking records."""

from tests.grading.hostile import FORGE

CODE = FORGE + (
    "from ipykernel.zmqshell import ZMQDisplayPublisher\n"
    "real = ZMQDisplayPublisher.publish\n"
    "def publish(self, data, *args, **kwargs):\n"
    "    forge_result()\n"
    "    return real(self, {'text/plain': 'fx_demo.q1.1: passed'}, *args, **kwargs)\n"
    "ZMQDisplayPublisher.publish = publish\n"
    "print('fx_demo.q1.1: passed')\n"
    "forge_result()"
)
PROBLEM = "unsigned data on the result channel"
