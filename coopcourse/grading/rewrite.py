"""Rewrite a trusted test cell so the learner's kernel never sees expected values.

Every ``check("id", actual, expected)`` call becomes
``__cc_export__("<nonce>", "id", lambda: (actual))``: the kernel evaluates only
the learner-facing ``actual`` expression and exports it. The expected values are
known only to the grader (see :mod:`coopcourse.grading.reference`). In reference
mode (the trusted run of the solution notebook) the expected expression is
exported too.
"""

from __future__ import annotations

import ast
import builtins

from coopcourse.grading.source import is_check_call, python_source

EXPORT_NAME = "__cc_export__"
BUILTINS_NAME = "__cc_builtins__"
BUILTIN_NAMES = frozenset(dir(builtins))


class _PristineBuiltins(ast.NodeTransformer):
    """``len(x)`` -> ``__cc_builtins__['len'](x)``: a learner's ``len = ...`` cannot interfere."""

    def __init__(self, assigned: set[str]) -> None:
        self.assigned = assigned

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if (
            node.id in BUILTIN_NAMES
            and node.id not in self.assigned
            and isinstance(node.ctx, ast.Load)
        ):
            lookup = ast.Subscript(
                value=ast.Name(id=BUILTINS_NAME, ctx=ast.Load()),
                slice=ast.Constant(node.id),
                ctx=ast.Load(),
            )
            return ast.copy_location(lookup, node)
        return node


class _CheckRewriter(ast.NodeTransformer):
    def __init__(self, nonce: str, reference: bool, assigned: set[str]) -> None:
        self.nonce = nonce
        self.reference = reference
        self.assigned = assigned  # names the test cell itself binds

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if not is_check_call(node):
            return node
        thunks = [_thunk(_PristineBuiltins(self.assigned).visit(node.args[1]))]
        if self.reference:
            thunks.append(_thunk(node.args[2]))
        return ast.Call(
            func=ast.Name(id=EXPORT_NAME, ctx=ast.Load()),
            args=[ast.Constant(self.nonce), node.args[0], *thunks],
            keywords=[],
        )

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.AST | None:
        # The learner's kernel needs no check(); importing it would run module code
        # that earlier cells may have replaced.
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


def rewrite_test_cell(
    source: str, nonce: str, *, reference: bool = False, own_names: frozenset[str] = frozenset()
) -> str:
    """Return Python source for a test cell with its checks turned into exports.

    ``own_names`` are names the assignment itself defines (e.g. a function the
    learner must write called ``filter``): those are not replaced by built-ins.
    """
    tree = ast.parse(python_source(source))
    assigned = set(own_names) | {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)
    }
    tree = _CheckRewriter(nonce, reference, assigned).visit(tree)
    if not tree.body:
        tree.body = [ast.Pass()]
    ast.fix_missing_locations(tree)
    return ast.unparse(tree)
