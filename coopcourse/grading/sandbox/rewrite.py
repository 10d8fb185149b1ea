"""Rewrite a trusted test cell so the learner's kernel never sees expected values.

Every ``check("id", actual, expected)`` call becomes
``__cc_check__("id", lambda: (actual))``: the kernel evaluates only the
learner-facing ``actual`` expression, and the sentry records its value. The
expected values are known only to the grader (see
:mod:`coopcourse.grading.pipeline.reference`). In reference mode (the trusted run of the
solution notebook) the expected expression is passed too.

``__cc_check__`` exists only in the namespace the sentry builds for the test
cell, a copy of the learner's namespace without the built-in names the
assignment does not define itself (see :func:`builtins_to_drop`), so ``len``
in a test cell is the real ``len`` whatever learner code did.
"""

from __future__ import annotations

import ast
import builtins

from coopcourse.grading.pipeline.source import is_check_call, python_source

CHECK_NAME = "__cc_check__"
BUILTIN_NAMES = frozenset(dir(builtins))


def builtins_to_drop(own_names: frozenset[str]) -> frozenset[str]:
    """Learner names that must not shadow a built-in inside a test cell."""
    return frozenset(BUILTIN_NAMES - set(own_names) - {"__name__", "__doc__"}) | {CHECK_NAME}


class _CheckRewriter(ast.NodeTransformer):
    def __init__(self, reference: bool) -> None:
        self.reference = reference

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if not is_check_call(node):
            return node
        thunks = [_thunk(node.args[1])]
        if self.reference:
            thunks.append(_thunk(node.args[2]))
        return ast.Call(
            func=ast.Name(id=CHECK_NAME, ctx=ast.Load()),
            args=[node.args[0], *thunks],
            keywords=[],
        )

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.AST | None:
        # The learner's kernel needs no check(); importing it would run module code.
        names = [alias for alias in node.names if alias.name != "check"]
        if not names:
            return None
        node.names = names
        return node


def _thunk(expression: ast.expr) -> ast.Lambda:
    arguments = ast.arguments(
        posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]
    )
    return ast.Lambda(args=arguments, body=expression)


def rewrite_test_cell(source: str, *, reference: bool = False) -> str:
    """Return Python source for a test cell with its checks turned into recorded thunks."""
    tree = _CheckRewriter(reference).visit(ast.parse(python_source(source)))
    if not tree.body:
        tree.body = [ast.Pass()]
    ast.fix_missing_locations(tree)
    return ast.unparse(tree)
