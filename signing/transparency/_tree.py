"""Where the hashes of a proof come from: perfect subtrees, and the ranges RFC 6962 asks for.

Every hash RFC 6962 puts in a tree head, an audit path (PATH, §2.1.1) or a consistency proof
(PROOF, §2.1.2) is MTH of a range of leaves ``[start, end)`` whose start is a multiple of the
smallest power of two not below its length. Such a range splits, by the binary digits of its
length, into *perfect* subtrees aligned on their own size, and its MTH is the right fold of
theirs. A log that keeps the hash of every perfect subtree (one per leaf, plus one per pair,
per quad...: under two per leaf) therefore answers any proof from O(log n) stored hashes and
never rehashes its history. :class:`Node` names a perfect subtree; the functions here plan which
nodes a proof needs, so that a store fetches them in one query, then fold what it fetched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from signing.errors import TransparencyLogError
from signing.transparency._hashing import EMPTY_ROOT, node_hash

__all__ = [
    "Node",
    "Span",
    "completed_by_append",
    "consistency_spans",
    "fold",
    "inclusion_spans",
    "nodes_of",
    "split_point",
]

#: A range of leaves ``[start, end)`` whose MTH a proof needs.
Span = tuple[int, int]


@dataclass(frozen=True, order=True, slots=True)
class Node:
    """The perfect subtree of ``2**level`` leaves starting at leaf ``index * 2**level``."""

    level: int
    index: int

    @property
    def start(self) -> int:
        return self.index << self.level

    @property
    def end(self) -> int:
        return (self.index + 1) << self.level


def split_point(size: int) -> int:
    """The largest power of two smaller than ``size`` (RFC 6962's k, with k < n <= 2k)."""
    if size < 2:
        raise TransparencyLogError(f"a tree of {size} leaves does not split")
    return 1 << ((size - 1).bit_length() - 1)


def nodes_of(span: Span) -> list[Node]:
    """The perfect subtrees whose right fold is MTH of ``span``, largest (leftmost) first."""
    start, end = span
    if not 0 <= start < end:
        raise TransparencyLogError(f"no leaves in [{start}, {end})")
    nodes: list[Node] = []
    position = start
    for level in reversed(range((end - start).bit_length())):
        if (end - start) >> level & 1:
            if position % (1 << level):
                raise TransparencyLogError(f"[{start}, {end}) is not a subtree RFC 6962 names")
            nodes.append(Node(level, position >> level))
            position += 1 << level
    return nodes


def fold(hashes: Sequence[bytes]) -> bytes:
    """MTH of consecutive perfect subtrees given largest first: H(a, H(b, H(c, ...)))."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def span_hash(span: Span, known: Mapping[Node, bytes]) -> bytes:
    """MTH of ``span`` from the hashes of its perfect subtrees; KeyError if one is missing."""
    return fold([known[node] for node in nodes_of(span)])


def needed(spans: Iterable[Span]) -> list[Node]:
    """Every perfect subtree the spans fold from, each once, in a stable order."""
    seen: dict[Node, None] = {}
    for span in spans:
        for node in nodes_of(span):
            seen.setdefault(node)
    return list(seen)


def inclusion_spans(index: int, size: int) -> list[Span]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1 as ranges of leaves, from the leaf up to the root.

    PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) when m < k, else PATH(m - k, D[k:n]) :
    MTH(D[0:k]); walked top-down here, then reversed, which is the same list.
    """
    if not 0 <= index < size:
        raise TransparencyLogError(f"leaf {index} is not in a tree of {size}")
    siblings: list[Span] = []
    low, high = 0, size
    while high - low > 1:
        k = split_point(high - low)
        if index - low < k:
            siblings.append((low + k, high))
            high = low + k
        else:
            siblings.append((low, low + k))
            low += k
    siblings.reverse()
    return siblings


def consistency_spans(first: int, second: int) -> list[Span]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2 as ranges of leaves, for 0 < m <= n.

    SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}; for m < n with
    k = split(n): m <= k gives SUBPROOF(m, D[0:k], b) : MTH(D[k:n]), m > k gives
    SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]).
    """
    if not 0 < first <= second:
        raise TransparencyLogError(f"no consistency proof from {first} to {second}")
    appended: list[Span] = []
    low, high, whole = 0, second, True
    while first - low != high - low:
        k = split_point(high - low)
        if first - low <= k:
            appended.append((low + k, high))
            high = low + k
        else:
            appended.append((low, low + k))
            low += k
            whole = False
    head: list[Span] = [] if whole else [(low, high)]
    return head + appended[::-1]


def completed_by_append(index: int) -> list[Node]:
    """The perfect subtrees above the leaf that appending leaf ``index`` completes, lowest first.

    Each one's left child existed before; its right child is the previous one in this list (or
    the new leaf), so a store computes them from ``len`` stored hashes, where ``len`` is the
    number of trailing 1 bits of ``index``.
    """
    nodes: list[Node] = []
    level, position = 0, index
    while position & 1:
        level, position = level + 1, position >> 1
        nodes.append(Node(level, position))
    return nodes
