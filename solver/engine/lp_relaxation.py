"""The linear relaxation of a CP-SAT model, and a lower bound from any of its dual vectors.

A CP-SAT model of rotaplan's (booleans and small integers, linear constraints, cliques,
implications) reads as a linear program once every variable may take fractional values;
its optimum bounds the model's from below. Whatever the LP method returns, the bound is
taken from its dual vector alone, by weak duality: every variable of the model has finite
bounds, so for any multipliers ``y`` of the rows,

    min c.x  >=  sum_i y_i * b_i  +  sum_j min(r_j * lower_j, r_j * upper_j),   r = c - A'y,

with ``b_i`` the row's lower bound where ``y_i > 0`` and its upper bound where ``y_i < 0``.
So an approximate solve, cut short by its time limit, still proves what its duals prove,
and rounding never claims more than the arithmetic shows.

Constraints the reader does not know (or enforced by a literal) are left out: a
relaxation with fewer rows still bounds the model from below.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sparse
from ortools.pdlp import solvers_pb2
from ortools.pdlp.python import pdlp
from ortools.sat import cp_model_pb2

INFINITE = 1e30  # beyond any bound rotaplan's models hold


@dataclass
class Relaxation:
    """``min cost.x + offset`` subject to ``row_lower <= A x <= row_upper`` and
    ``lower <= x <= upper`` (cost and offset already scaled as CP-SAT's objective is)."""

    matrix: sparse.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    cost: np.ndarray
    offset: float = 0.0

    def add_rows(
        self, rows: list[tuple[np.ndarray, np.ndarray]], lower: np.ndarray, upper: np.ndarray
    ) -> None:
        """Append rows, each (columns, coefficients), with their bounds."""
        if not rows:
            return
        indptr = np.cumsum([0] + [len(columns) for columns, _ in rows])
        extra = sparse.csr_matrix(
            (
                np.concatenate([coefs for _, coefs in rows]).astype(float),
                np.concatenate([columns for columns, _ in rows]),
                indptr,
            ),
            shape=(len(rows), self.matrix.shape[1]),
        )
        self.matrix = sparse.vstack([self.matrix, extra], format="csr")
        self.row_lower = np.concatenate([self.row_lower, lower])
        self.row_upper = np.concatenate([self.row_upper, upper])

    def safe_bound(self, duals: np.ndarray) -> float:
        """The lower bound weak duality proves from ``duals`` (see the module's text)."""
        low = self.row_lower > -INFINITE
        high = self.row_upper < INFINITE
        y = np.where(duals > 0, np.where(low, duals, 0.0), np.where(high, duals, 0.0))
        rows = np.where(y > 0, y * np.where(low, self.row_lower, 0.0), 0.0)
        rows += np.where(y < 0, y * np.where(high, self.row_upper, 0.0), 0.0)
        reduced = self.cost - self.matrix.T @ y
        columns = np.where(reduced > 0, reduced * self.lower, reduced * self.upper)
        return float(rows.sum() + columns.sum() + self.offset)


def relaxation_of(model_bytes: bytes) -> Relaxation:
    """The linear relaxation of a serialised ``CpModelProto`` (its objective minimised)."""
    proto = cp_model_pb2.CpModelProto.FromString(model_bytes)
    lower = np.array([v.domain[0] for v in proto.variables], dtype=float)
    upper = np.array([v.domain[-1] for v in proto.variables], dtype=float)
    reader = _Rows()
    for constraint in proto.constraints:
        kind = constraint.WhichOneof("constraint")
        enforced = list(constraint.enforcement_literal)
        if kind == "linear" and not enforced:
            domain = constraint.linear.domain
            reader.add(constraint.linear.vars, constraint.linear.coeffs, domain[0], domain[-1])
        elif kind in ("at_most_one", "exactly_one") and not enforced:
            literals = getattr(constraint, kind).literals
            reader.add(literals, [1] * len(literals), 1 if kind == "exactly_one" else -INFINITE, 1)
        elif kind == "bool_and":
            # Each enforcement literal implies each literal: literal - enforcement >= 0.
            for literal in constraint.bool_and.literals:
                for enforcement in enforced:
                    reader.add([literal, enforcement], [1, -1], 0, INFINITE)
        elif kind == "bool_or":
            literals = list(constraint.bool_or.literals) + [-e - 1 for e in enforced]
            reader.add(literals, [1] * len(literals), 1, INFINITE)
    objective = proto.objective
    scale = objective.scaling_factor or 1.0
    cost = np.zeros(len(lower))
    np.add.at(cost, np.asarray(objective.vars, dtype=np.int64), np.asarray(objective.coeffs))
    matrix, row_lower, row_upper = reader.matrix(len(lower))
    return Relaxation(
        matrix, row_lower, row_upper, lower, upper, cost * scale, objective.offset * scale
    )


class _Rows:
    """Rows gathered one by one; a negated literal ``-v - 1`` stands for ``1 - x_v``."""

    def __init__(self) -> None:
        self.columns: list[int] = []
        self.values: list[float] = []
        self.indptr: list[int] = [0]
        self.lower: list[float] = []
        self.upper: list[float] = []

    def add(self, refs, coefs, lower: float, upper: float) -> None:
        constant = 0.0
        for ref, coef in zip(refs, coefs, strict=True):
            if ref >= 0:
                self.columns.append(ref)
                self.values.append(coef)
            else:
                self.columns.append(-ref - 1)
                self.values.append(-coef)
                constant += coef
        self.indptr.append(len(self.columns))
        self.lower.append(_finite(lower) - constant)
        self.upper.append(_finite(upper) - constant)

    def matrix(self, width: int) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
        matrix = sparse.csr_matrix(
            (np.array(self.values, dtype=float), np.array(self.columns), np.array(self.indptr)),
            shape=(len(self.lower), width),
        )
        matrix.sum_duplicates()
        return matrix, np.array(self.lower), np.array(self.upper)


def _finite(value: float) -> float:
    """CP-SAT's open ends (its int64 extremes) as this module's infinity."""
    if value <= -(2**62):
        return -2 * INFINITE
    if value >= 2**62:
        return 2 * INFINITE
    return float(value)


def lp_lower_bound(relaxation: Relaxation, seconds: float, threads: int = 1) -> float:
    """A lower bound on the relaxation's optimum (so on the model's), proven from the duals
    of OR-Tools' first-order LP method (PDLP) after at most ``seconds``.

    A first-order method is chosen over simplex and interior points: on a 2,024-member
    company's relaxation (122,000 columns, 151,000 rows) it converged in 4.4 s on one core,
    where HiGHS's interior point took 45 s and its dual simplex ten minutes.
    """
    program = pdlp.QuadraticProgram()
    program.objective_vector = relaxation.cost
    program.objective_offset = relaxation.offset
    program.constraint_lower_bounds = np.where(
        relaxation.row_lower > -INFINITE, relaxation.row_lower, -np.inf
    )
    program.constraint_upper_bounds = np.where(
        relaxation.row_upper < INFINITE, relaxation.row_upper, np.inf
    )
    program.variable_lower_bounds = relaxation.lower
    program.variable_upper_bounds = relaxation.upper
    program.constraint_matrix = relaxation.matrix.tocsc()
    parameters = solvers_pb2.PrimalDualHybridGradientParams()
    parameters.num_threads = max(1, threads)
    parameters.termination_criteria.time_sec_limit = max(0.1, seconds)
    criteria = parameters.termination_criteria.simple_optimality_criteria
    criteria.eps_optimal_relative = 1e-6
    criteria.eps_optimal_absolute = 1e-6
    result = pdlp.primal_dual_hybrid_gradient(program, parameters)
    duals = np.asarray(result.dual_solution, dtype=float)
    if len(duals) != relaxation.matrix.shape[0] or not np.all(np.isfinite(duals)):
        return -math.inf
    return relaxation.safe_bound(duals)


def integer_bound(value: float) -> int:
    """The least whole number an integer objective at or above ``value`` can take, with a
    margin for the rounding of the bound's own arithmetic."""
    if not math.isfinite(value):
        return 0
    return max(0, math.ceil(value - 1e-6 * max(1.0, abs(value))))
