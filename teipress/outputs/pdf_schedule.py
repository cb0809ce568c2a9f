"""Which worker typesets which PDF, and when (pdf.in_workers): locality first, lanes ending together.

A worker's Typst child keeps what it laid out for the documents it typeset last (Typst's
compilation cache), and what one document shares with another is found there: neighbours in
the edition's order share registers, fonts, layout and often text, and documents of the same
bytes share everything.  A document typeset by the other worker finds none of it: with copies
handed out without regard to this, two workers cost up to 1.14× the CPU of one.

So the documents are first put in units: documents of the same TEI bytes are one unit, at the
place of the first (typeset one after the other), every other document a unit of its own.  Each
worker (a lane) then owns a contiguous stretch of the units, of about equal cost, and typesets
its documents front to back; a lane whose stretch is done takes documents one at a time from
the far end of the stretch with the most cost left (those its owner would reach last, next to
each other), so the lanes still end together, and only where the two meet are neighbours (or
copies) split.  A big unit (over 1/BIG of a lane's share) comes first in its lane, the biggest
first: a big one left for the end would keep its lane busy long after the other ran dry.

plan() decides the stretches before the workers fork; take() hands out the next document, in a
worker, on positions shared by every worker (``ends``: the front and the back of each lane).
Nothing here changes what a PDF is: only which process makes it, and when.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable, MutableSequence, Sequence

# A unit costing more than a lane's share over BIG is taken first in its lane (biggest first).
BIG = 16


@dataclass
class Plan:
    costs: list[int]         # each document's cost
    lanes: list[list[int]]   # each lane's documents, in the order its owner takes them
    units: list[list[int]] = field(default_factory=list)  # what was kept together (units())
    _sums: list[list[int]] = field(default_factory=list, repr=False)  # prefix sums of each lane's costs

    def __post_init__(self):
        self._sums = []
        for lane in self.lanes:
            sums = [0]
            for i in lane:
                sums.append(sums[-1] + self.costs[i])
            self._sums.append(sums)

    def ends(self) -> list[int]:
        """The shared positions at the start: for each lane, its front and its back."""
        out: list[int] = []
        for lane in self.lanes:
            out += [0, len(lane)]
        return out

    def left(self, ends: Sequence[int], lane: int) -> int:
        """The cost of what is left in *lane*."""
        sums = self._sums[lane]
        return sums[ends[2 * lane + 1]] - sums[ends[2 * lane]]


def units(costs: Sequence[int], keys: Sequence[Hashable | None]) -> tuple[list[list[int]], list[int]]:
    """Documents of the same key (the bytes of their TEI; None: a document of its own) as one
    unit, at the place of the first, with their costs added."""
    out: list[list[int]] = []
    at: dict[Hashable, int] = {}
    for i, key in enumerate(keys):
        if key is not None and key in at:
            out[at[key]].append(i)
            continue
        if key is not None:
            at[key] = len(out)
        out.append([i])
    return out, [sum(costs[i] for i in unit) for unit in out]


def plan(costs: Sequence[int], keys: Sequence[Hashable | None], processes: int) -> Plan:
    """The units (units()) split into *processes* contiguous stretches of about equal cost: a
    unit goes to the lane its cost's middle falls in.  In each lane its big units come first,
    biggest first, then the others in the edition's order; a unit's documents one after the other."""
    groups, group_costs = units(costs, keys)
    n = max(1, min(processes, len(groups)))
    share = sum(group_costs) / n or 1
    stretches: list[list[int]] = [[] for _ in range(n)]
    before = 0
    for u, c in enumerate(group_costs):
        stretches[min(n - 1, int((before + c / 2) / share))].append(u)
        before += c
    lanes = []
    for stretch in stretches:
        big = sorted((u for u in stretch if group_costs[u] * BIG > share), key=lambda u: (-group_costs[u], u))
        order = big + [u for u in stretch if group_costs[u] * BIG <= share]
        lanes.append([i for u in order for i in groups[u]])
    return Plan(list(costs), lanes, groups)


def take(p: Plan, ends: MutableSequence[int], lane: int) -> tuple[int, bool] | None:
    """The next document for *lane* and whether it was taken from another lane (stolen), moving
    the shared *ends*; None when every document is taken.  (The caller holds the lock of *ends*.)"""
    if 0 <= lane < len(p.lanes) and ends[2 * lane] < ends[2 * lane + 1]:
        ends[2 * lane] += 1
        return p.lanes[lane][ends[2 * lane] - 1], False
    others = [v for v in range(len(p.lanes)) if ends[2 * v] < ends[2 * v + 1]]
    if not others:
        return None
    victim = max(others, key=lambda v: (p.left(ends, v), -v))
    ends[2 * victim + 1] -= 1
    return p.lanes[victim][ends[2 * victim + 1]], True


def done(ends: Sequence[int]) -> bool:
    """Whether every document is taken."""
    return all(ends[k] >= ends[k + 1] for k in range(0, len(ends), 2))
