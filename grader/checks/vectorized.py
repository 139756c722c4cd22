"""Checks that a `*_vectorized` loss is vectorized: no Python loop over the examples or classes, and no
use of the naive version. Read from the answer's code (its syntax tree), never by timing it, so the
verdict is the same on every machine.

Where the code comes from (`read_answer`): the answer hands its code to one of two readers
(`Answer.read_code`), whichever fits where it comes from.
- the answer cells as text (`CellsProgram`): during `nbgrader autograde`, the name the hidden test
  graded and the student's answer cells as the trusted step read them from the submitted notebook.
  Names resolve to the answer cells' top-level definitions, the last one in notebook order winning, as
  when the notebook runs. The grading worker is never asked: what it says is untrusted.
- a function of this process (`NamespaceProgram`): in the student's kernel, `nbgrader validate` and
  the tests, its cell (or file) is read from `linecache`, where IPython and Python keep the source of
  what they ran, and the helpers it names are the functions of its own namespace (`__globals__`).

The rules:
- a `for` or `while` loop, a comprehension or generator expression, `map`, `filter`,
  `functools.reduce`, `itertools.starmap`, `np.vectorize`, `np.frompyfunc`, `np.apply_along_axis` and
  `np.apply_over_axes` are Python-level loops;
- except a loop whose iterations are written out in the code: over `range` of integer literals or over
  a literal tuple or list (`for _ in range(2)`, `for A in (W, X)`). Its length does not grow with N or
  C; a hard-coded class or example count is wrong for other shapes and loses points on the value
  checks instead;
- naming `svm_loss_naive` or `softmax_loss_naive` (calling it, or passing it on) uses the naive
  version, whatever it does;
- a function of the student's own that the answer names is read by the same rules, to any depth, and
  naming one that is already being read (recursion) is a loop;
- `exec`, `eval`, `globals()`, `locals()`, `vars()` and `__import__` hide what runs, so they count
  against the answer, as does an answer the grader cannot find a `def` (or lambda) for.
"""

from __future__ import annotations

import ast
import linecache
import types
from dataclasses import dataclass

from ..answers import Answer, as_answer
from ..outcome import CheckContext, Failure
from .linear_losses import SOFTMAX, SVM, LossKind, basic_case
from .registry import check

NAIVE = ("svm_loss_naive", "softmax_loss_naive")
LOOPING_CALLS = {
    "map": "calls a Python function once per element",
    "filter": "calls a Python function once per element",
    "reduce": "calls a Python function once per element",
    "starmap": "calls a Python function once per element",
    "vectorize": "calls a Python function once per element (np.vectorize is a loop, not vectorization)",
    "frompyfunc": "calls a Python function once per element",
    "apply_along_axis": "calls a Python function once per row or column",
    "apply_over_axes": "calls a Python function once per axis",
}
BUILTIN_ONLY = {"map", "filter"}          # the others also as attributes (np.vectorize, functools.reduce)
HIDING_CALLS = ("exec", "eval", "globals", "locals", "vars", "__import__")
EXAMPLE_NAMES = {"X", "y", "N", "num_train", "num_examples", "n_train", "n_samples", "num_samples",
                 "batch_size", "scores", "margins", "probs", "x", "xs", "labels"}
CLASS_NAMES = {"C", "num_classes", "n_classes", "num_class", "classes"}
MAX_QUOTE = 80
MAX_FINDINGS = 3

CHECKED = "no Python loop over the examples or classes, and no use of the naive version (read from your code)"
EXPECTED = "code with no Python loop over the examples or classes that does not call the naive version"
CAUSE = ("vectorized code uses array operations on whole matrices: all scores are one product X.dot(W), "
         "the correct-class scores are scores[np.arange(N), y], and dW is one more product with X.T")


@dataclass(frozen=True)
class Definition:
    """A function as written: its node (def or lambda) and the lines of the cell that holds it."""

    name: str
    node: ast.AST
    lines: tuple[str, ...]

    def quote(self, node: ast.AST) -> str:
        line = self.lines[node.lineno - 1].strip() if 0 < node.lineno <= len(self.lines) else ast.unparse(node)
        return line if len(line) <= MAX_QUOTE else line[:MAX_QUOTE - 3] + "..."


class Unfollowable(Exception):
    """The answer (or a helper) has no definition the grader can read: the reason, in words."""


class SourceNotKept(Unfollowable):
    """A function of this process whose source was never kept (its code was built from a string)."""


# -- where the code comes from --------------------------------------------------------------------

class CellsProgram:
    """The student's answer cells as text (the trusted step's copy): names resolve to the cells'
    top-level definitions, the last binding in notebook order winning."""

    def __init__(self, cells: list[tuple[str, str]]):
        self.bindings: dict[str, object] = {}    # name -> Definition | ("alias", name, line) | ("other", line)
        for _, source in cells:
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            lines = tuple(source.splitlines())
            self._bind_all(tree.body, lines)

    def _bind_all(self, body: list[ast.stmt], lines: tuple[str, ...]) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.bindings[stmt.name] = Definition(stmt.name, stmt, lines)
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for alias in stmt.names:
                    self.bindings[(alias.asname or alias.name).split(".")[0]] = None   # not the student's
            elif isinstance(stmt, ast.ClassDef):
                self.bindings[stmt.name] = None
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for target in targets:
                    for name in (n.id for n in ast.walk(target) if isinstance(n, ast.Name)):
                        self.bindings[name] = self._value_binding(name, target, stmt, lines)
            elif isinstance(stmt, (ast.If, ast.Try, ast.With)):
                for part in (stmt.body, getattr(stmt, "orelse", []), getattr(stmt, "finalbody", []),
                             *[h.body for h in getattr(stmt, "handlers", [])]):
                    self._bind_all(part, lines)

    @staticmethod
    def _value_binding(name, target, stmt, lines):
        quote = Definition(name, stmt, lines).quote(stmt)
        if isinstance(target, ast.Name) and isinstance(stmt.value, ast.Lambda):
            return Definition(name, stmt.value, lines)
        if isinstance(target, ast.Name) and isinstance(stmt.value, ast.Name):
            return ("alias", stmt.value.id, f"line {stmt.lineno}: `{quote}`")
        return ("other", f"line {stmt.lineno}: `{quote}`", _as_code(name, stmt.value, lines))

    def _resolve(self, name: str, seen: tuple[str, ...]):
        if name in NAIVE:
            return ("naive", name)
        binding = self.bindings.get(name)
        if isinstance(binding, tuple) and binding[0] == "alias":
            if binding[1] in seen:
                return None
            target = self._resolve(binding[1], seen + (name,))
            if isinstance(target, tuple) and target[0] == "naive":
                return ("naive", target[1], binding[2])
            return target
        return binding

    def answer(self, name: str | None) -> Definition:
        if name is None:
            raise Unfollowable("the grader could not tell which of your functions this is")
        found = self._resolve(name, ())
        if isinstance(found, Definition):
            return found
        if isinstance(found, tuple) and found[0] == "naive":
            where = found[2] + " makes it" if len(found) > 2 else "it is"
            raise Unfollowable(f"{where} `{found[1]}`, the naive version")
        if isinstance(found, tuple) and found[0] == "other":
            raise Unfollowable(f"{found[1]} defines `{name}` in a way the grader cannot read; "
                               f"define it with `def {name}(...):` at the top of its answer cell")
        raise Unfollowable(f"no `def {name}(...):` at the top level of your answer cells")

    def helper(self, name: str, within: Definition):
        """The student's function `name` refers to, a naive name, or None (not the student's). A name
        bound to some other value (a constant, `functools.partial(...)`) is read as the expression
        that made it, so what that expression uses counts too."""
        found = self._resolve(name, ())
        if isinstance(found, tuple):
            return found[1] if found[0] == "naive" else found[2]
        return found


class NamespaceProgram:
    """A function in this process: its source from linecache, its helpers from its namespace."""

    def __init__(self, fn: types.FunctionType):
        self.namespace = fn.__globals__

    @staticmethod
    def definition(fn: types.FunctionType, name: str) -> Definition:
        code = fn.__code__
        lines = linecache.getlines(code.co_filename, fn.__globals__)
        try:
            tree = ast.parse("".join(lines))
        except (SyntaxError, ValueError):
            tree = None
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == code.co_name:
                starts = {node.lineno, *(d.lineno for d in node.decorator_list)}
            elif isinstance(node, ast.Lambda) and code.co_name == "<lambda>":
                starts = {node.lineno}
            else:
                continue
            if code.co_firstlineno in starts:
                return Definition(name, node, tuple(line.rstrip("\n") for line in lines))
        raise SourceNotKept(f"the source of `{name}` cannot be read here")

    def answer(self, fn) -> Definition:
        if fn.__code__.co_name in NAIVE:
            raise Unfollowable(f"it is `{fn.__code__.co_name}`, the naive version")
        return self.definition(fn, fn.__name__)

    def helper(self, name: str, within: Definition):
        if name in NAIVE:
            return name
        value = self.namespace.get(name)
        if not isinstance(value, types.FunctionType) or value.__globals__ is not self.namespace:
            return None   # numpy, scipy, a builtin, data: not the student's code
        if value.__code__.co_name in NAIVE:
            return value.__code__.co_name
        return self.definition(value, name)


class _Reading:
    """(program, the answer's definition), from either source of an answer's code."""

    @staticmethod
    def from_cells(name: str | None, cells: list[tuple[str, str]]):
        program = CellsProgram(cells)
        return program, program.answer(name)

    @staticmethod
    def from_function(fn):
        if not isinstance(fn, types.FunctionType):
            raise Unfollowable(f"`{getattr(fn, '__name__', fn)!s:.60}` is not a function the grader can read")
        program = NamespaceProgram(fn)
        return program, program.answer(fn)


def read_answer(answer):
    """(program, the answer's definition) for `answer`; Unfollowable when it cannot be read, and
    SourceNotKept when it is a function of this process whose source is not available here."""
    answer = as_answer(answer)
    if not isinstance(answer, Answer):
        raise Unfollowable(f"`{getattr(answer, '__name__', answer)!s:.60}` is not a function the grader can read")
    return answer.read_code(_Reading)


def _as_code(name: str, value: ast.expr, lines: tuple[str, ...]) -> Definition:
    """A top-level `name = <expression>` read as code: a lambda without arguments around it."""
    node = ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                                         kwarg=None, defaults=[]), body=value)
    return Definition(name, ast.copy_location(node, value), lines)


# -- the rules --------------------------------------------------------------------------------------

def _call_name(func: ast.expr) -> tuple[str, bool] | None:
    """(name, called as an attribute) of a call's function: `map` -> ("map", False), `np.vectorize`
    -> ("vectorize", True)."""
    if isinstance(func, ast.Name):
        return func.id, False
    if isinstance(func, ast.Attribute):
        return func.attr, True
    return None


def _is_int_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool)


def fixed_iterations(it: ast.expr) -> bool:
    """Iterations written out in the code: range of integer literals, or a literal tuple or list."""
    if isinstance(it, (ast.Tuple, ast.List, ast.Set)):
        return not any(isinstance(e, ast.Starred) for e in it.elts)
    return (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range"
            and not it.keywords and 1 <= len(it.args) <= 3 and all(_is_int_literal(a) for a in it.args))


def _over(it: ast.expr) -> str:
    """What a loop goes over, by the names its iterable uses: examples, classes, or in general."""
    names = {n.id for n in ast.walk(it) if isinstance(n, ast.Name)}
    shape_index = {(n.value.value.id if isinstance(n.value.value, ast.Name) else "", n.slice.value)
                   for n in ast.walk(it)
                   if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Attribute) and n.value.attr == "shape"
                   and isinstance(n.slice, ast.Constant)}
    if names & EXAMPLE_NAMES and not any(name == "W" for name, _ in shape_index):
        return "over the examples"
    if names & CLASS_NAMES or ("W", 1) in shape_index or ("W", -1) in shape_index:
        return "over the classes"
    return ""


def _local_names(defn: Definition) -> set[str]:
    node = defn.node
    names = {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            names.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n is not node:
            names.add(n.name)
        elif isinstance(n, ast.arg):
            names.add(n.arg)
    return names


def _body_nodes(defn: Definition):
    node = defn.node
    roots = [node.body] if isinstance(node, ast.Lambda) else node.body
    for root in roots:
        yield from ast.walk(root)


def findings(program, defn: Definition, reading: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """(line, what was found) for every loop or naive use in `defn` and the helpers it names."""
    found: list[tuple[int, str]] = []
    reading = reading + (defn.name,)
    local = _local_names(defn)
    followed: set[str] = set()
    for node in _body_nodes(defn):
        line = getattr(node, "lineno", 0)
        if isinstance(node, (ast.For, ast.AsyncFor)) and not fixed_iterations(node.iter):
            over = _over(node.iter)
            found.append((line, f"line {line}: `{defn.quote(node)}` loops {over + ' ' if over else ''}in Python"))
        elif isinstance(node, ast.While):
            found.append((line, f"line {line}: `{defn.quote(node)}` is a loop in Python"))
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)) \
                and not all(fixed_iterations(g.iter) for g in node.generators):
            over = next((o for o in (_over(g.iter) for g in node.generators) if o), "")
            found.append((line, f"line {line}: `{defn.quote(node)}` has a comprehension, a loop "
                                f"{over + ' ' if over else ''}in Python"))
        elif isinstance(node, ast.Call) and (called := _call_name(node.func)):
            name, attribute = called
            if name in LOOPING_CALLS and not (attribute and name in BUILTIN_ONLY) and not (
                    not attribute and name in local):
                found.append((line, f"line {line}: `{defn.quote(node)}`: `{ast.unparse(node.func)}` "
                                    f"{LOOPING_CALLS[name]}, a loop in Python"))
            elif not attribute and name in HIDING_CALLS and name not in local:
                found.append((line, f"line {line}: `{defn.quote(node)}`: `{name}` hides what runs, "
                                    "so the grader cannot check the code it runs"))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in local \
                and node.id not in followed:
            followed.add(node.id)
            try:
                target = program.helper(node.id, defn)
            except Unfollowable as why:
                found.append((line, f"line {line}: `{defn.quote(node)}` uses `{node.id}`, and {why}"))
                continue
            if isinstance(target, str):
                found.append((line, f"line {line}: `{defn.quote(node)}` uses `{target}`, the naive version"))
            elif isinstance(target, Definition):
                if target.name in reading:
                    found.append((line, f"line {line}: `{defn.quote(node)}` calls `{target.name}` again "
                                        "(recursion), a loop in Python"))
                    continue
                inner = findings(program, target, reading)
                if inner:
                    more = f" (and {len(inner) - 1} more)" if len(inner) > 1 else ""
                    found.append((line, f"line {line}: `{defn.quote(node)}` uses your `{target.name}`, whose "
                                        f"{inner[0][1]}{more}"))
    return sorted(found, key=lambda f: f[0])


def vectorized(kind: LossKind):
    def run(fn, ctx: CheckContext):
        try:
            program, defn = read_answer(fn)
        except SourceNotKept as why:
            # In-process code compiled from a string nobody kept: nothing to read here. The trusted
            # step reads the submitted cells themselves, so autograding still checks it.
            yield ctx.run(f"{CHECKED}: not checked here ({why}); checked when the notebook is autograded",
                          lambda: None)
            return
        except Unfollowable as why:
            message = str(why)

            def unreadable():
                raise Failure(EXPECTED, message, CAUSE)
            yield ctx.run(CHECKED, unreadable)
            return

        def body():
            found = findings(program, defn)
            if found:
                shown = [text for _, text in found[:MAX_FINDINGS]]
                if len(found) > MAX_FINDINGS:
                    shown.append(f"... and {len(found) - MAX_FINDINGS} more")
                raise Failure(EXPECTED, "; ".join(shown), CAUSE)
        yield ctx.run(CHECKED, body)
    return run


for _kind in (SVM, SOFTMAX):
    check(f"{_kind.key}_vectorized", basic=basic_case(_kind))(vectorized(_kind))
