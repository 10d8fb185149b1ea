"""A __del__ finalizer that forges a result on the channel when it is collected."""

from tests.grading.hostile import FORGE

CODE = FORGE + (
    "class Bomb:\n    def __del__(self):\n        forge_result()\nbomb = Bomb()\ndel bomb"
)
PROBLEM = "unsigned data on the result channel"
