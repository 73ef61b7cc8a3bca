"""The transparency log's Merkle tree against RFC 6962's published vectors and its definitions.

Two checks that do not lean on the code under test:

- the Certificate Transparency reference test vectors (google/certificate-transparency,
  cpp/merkletree/merkle_tree_test.cc: kInputs, kSHA256Roots, kSHA256Paths, kSHA256Proofs; the
  (6, 7) consistency proof and the node hashes from transparency-dev/merkle, proof/verify_test.go
  and testonly/constants.go). Their leaf numbers are 1-based; ours are 0-based indexes;
- an independent implementation (tests/rfc6962.py), written from RFC 6962 §2.1's recursive
  definitions of MTH, PATH and PROOF as they read (slicing lists, no stored nodes, no bit
  tricks) with verifiers that walk those definitions backwards: every proof of every tree up to
  40 leaves, and of random larger ones, must be the RFC's, and verify both ways.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings
from hypothesis import strategies as st

from signing.errors import TransparencyLogError
from signing.keys import KeyPurpose
from signing.transparency import (
    EMPTY_ROOT,
    LogEntry,
    LogEvent,
    MerkleTree,
    Node,
    SignedTreeHead,
    TreeHead,
    leaf_hash,
    sign_tree_head,
    verify_consistency,
    verify_inclusion,
)
from tests import rfc6962
from tests.signing.memory_store import MemoryKeyStore

# ----------------------------------------------------------------------------- published vectors

CT_INPUTS = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
CT_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
CT_ROOTS = [  # sizes 1..8
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (leaf, tree size, path) with the reference's 1-based leaf numbers.
CT_PATHS = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        2,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
CT_PROOFS = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]
# The perfect subtrees of the 8-leaf tree, level by level (testonly.NodeHashes).
CT_NODES = [
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    [
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
]


def _hex(hashes: tuple[bytes, ...] | list[bytes]) -> list[str]:
    return [h.hex() for h in hashes]


@pytest.fixture
def ct_tree() -> MerkleTree:
    return MerkleTree(leaf_hash(data) for data in CT_INPUTS)


def test_the_empty_tree_hashes_to_sha256_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == CT_EMPTY
    assert MerkleTree().root().hex() == CT_EMPTY
    assert rfc6962.mth([]).hex() == CT_EMPTY


def test_roots_of_every_size_match_the_reference(ct_tree: MerkleTree) -> None:
    assert [ct_tree.root(n).hex() for n in range(1, 9)] == CT_ROOTS
    # Built leaf by leaf, the root after each append is the published one too.
    growing = MerkleTree()
    for data, expected in zip(CT_INPUTS, CT_ROOTS, strict=True):
        growing.append(leaf_hash(data))
        assert growing.root().hex() == expected
    # And the independent implementation agrees, so it is a fair referee below.
    assert [rfc6962.mth(CT_INPUTS[:n]).hex() for n in range(1, 9)] == CT_ROOTS


def test_every_perfect_subtree_matches_the_reference(ct_tree: MerkleTree) -> None:
    for level, expected in enumerate(CT_NODES):
        found = ct_tree.node_hashes([Node(level, i) for i in range(len(expected))])
        assert [found[Node(level, i)].hex() for i in range(len(expected))] == expected


@pytest.mark.parametrize(("leaf", "size", "path"), CT_PATHS)
def test_audit_paths_match_the_reference(
    ct_tree: MerkleTree, leaf: int, size: int, path: list[str]
) -> None:
    proof = ct_tree.inclusion_proof(leaf - 1, size)
    assert _hex(proof.audit_path) == path
    assert proof.leaf_hash == leaf_hash(CT_INPUTS[leaf - 1])
    assert proof.verify(bytes.fromhex(CT_ROOTS[size - 1]))
    assert _hex(rfc6962.path(leaf - 1, CT_INPUTS[:size])) == path


@pytest.mark.parametrize(("first", "second", "path"), CT_PROOFS)
def test_consistency_proofs_match_the_reference(
    ct_tree: MerkleTree, first: int, second: int, path: list[str]
) -> None:
    proof = ct_tree.consistency_proof(first, second)
    assert _hex(proof.path) == path
    assert proof.verify(bytes.fromhex(CT_ROOTS[first - 1]), bytes.fromhex(CT_ROOTS[second - 1]))
    assert _hex(rfc6962.proof(first, CT_INPUTS[:second])) == path


# ----------------------------------------------------------------------------- cross-checks


def _leaves(count: int, seed: int = 0) -> list[bytes]:
    rng = random.Random(seed)
    return [rng.randbytes(rng.randrange(0, 40)) for _ in range(count)]


def test_every_proof_of_every_tree_up_to_40_leaves_is_the_rfc_one() -> None:
    data = _leaves(40)
    tree = MerkleTree()
    for n in range(1, 41):
        tree.append(leaf_hash(data[n - 1]))
        prefix = data[:n]
        root = rfc6962.mth(prefix)
        assert tree.root() == root
        for m in range(n):
            proof = tree.inclusion_proof(m, n)
            audit_path = list(proof.audit_path)
            assert audit_path == rfc6962.path(m, prefix), (m, n)
            assert rfc6962.root_from_path(m, n, leaf_hash(data[m]), audit_path) == root
            assert verify_inclusion(leaf_hash(data[m]), m, n, audit_path, root)
        for m in range(1, n + 1):
            old_root = rfc6962.mth(data[:m])
            consistency = list(tree.consistency_proof(m, n).path)
            assert consistency == rfc6962.proof(m, prefix), (m, n)
            assert rfc6962.roots_from_proof(m, n, consistency, old_root) == (old_root, root)
            assert verify_consistency(m, n, old_root, root, consistency)


@settings(max_examples=40, deadline=None)
@given(size=st.integers(1, 300), seed=st.integers(0, 2**32), picks=st.integers(0, 2**32))
def test_random_trees_agree_with_the_rfc_definitions(size: int, seed: int, picks: int) -> None:
    data = _leaves(size, seed)
    tree = MerkleTree(leaf_hash(d) for d in data)
    rng = random.Random(picks)
    n = rng.randint(1, size)
    m = rng.randrange(n)
    first = rng.randint(1, n)
    assert tree.root(n) == rfc6962.mth(data[:n])
    assert list(tree.inclusion_proof(m, n).audit_path) == rfc6962.path(m, data[:n])
    assert list(tree.consistency_proof(first, n).path) == rfc6962.proof(first, data[:n])


# ----------------------------------------------------------------------------- refusing proofs

ROOT8 = bytes.fromhex(CT_ROOTS[7])
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def _tampered(path: list[bytes]) -> list[list[bytes]]:
    """A proof with one thing wrong, every way the reference's verifier tests try."""
    variants = [
        [*path, b""],
        [*path, ROOT8],
        [b"", *path],
        [ROOT8, *path],
        path[:-1],
        [SOME_HASH, *path[1:]],
    ]
    for i in range(len(path)):
        flipped = [bytearray(h) for h in path]
        flipped[i][0] ^= 8
        variants.append([bytes(h) for h in flipped])
    return [v for v in variants if v != path]


@pytest.mark.parametrize(("leaf", "size", "path"), CT_PATHS[1:])
def test_a_wrong_inclusion_proof_is_refused(leaf: int, size: int, path: list[str]) -> None:
    hashes = [bytes.fromhex(h) for h in path]
    index, root, good_leaf = (
        leaf - 1,
        bytes.fromhex(CT_ROOTS[size - 1]),
        leaf_hash(CT_INPUTS[leaf - 1]),
    )
    assert verify_inclusion(good_leaf, index, size, hashes, root)
    for wrong_index in {index - 1, index + 1, index ^ 2} - {index}:
        assert not verify_inclusion(good_leaf, wrong_index, size, hashes, root)
    for wrong_size in {size * 2, size // 2} - {size}:
        assert not verify_inclusion(good_leaf, index, wrong_size, hashes, root)
    assert not verify_inclusion(leaf_hash(b"WrongLeaf"), index, size, hashes, root)
    assert not verify_inclusion(good_leaf, index, size, hashes, EMPTY_ROOT)
    assert not verify_inclusion(good_leaf, index, size, hashes, SOME_HASH)
    for variant in _tampered(hashes):
        assert not verify_inclusion(good_leaf, index, size, variant, root)
        # The referee of the cross-checks refuses them too: it is not a rubber stamp.
        assert rfc6962.root_from_path(index, size, good_leaf, variant) != root


def test_impossible_inclusion_queries_are_refused() -> None:
    for index, size in ((0, 0), (1, 0), (2, 1), (-1, 4)):
        assert not verify_inclusion(SOME_HASH, index, size, [], SOME_HASH)
    tree = MerkleTree([SOME_HASH])
    for index, size in ((1, 1), (0, 2), (-1, 1)):
        with pytest.raises(TransparencyLogError):
            tree.inclusion_proof(index, size)


@pytest.mark.parametrize(("first", "second", "path"), CT_PROOFS[1:])
def test_a_wrong_consistency_proof_is_refused(first: int, second: int, path: list[str]) -> None:
    hashes = [bytes.fromhex(h) for h in path]
    root1, root2 = bytes.fromhex(CT_ROOTS[first - 1]), bytes.fromhex(CT_ROOTS[second - 1])
    assert verify_consistency(first, second, root1, root2, hashes)
    for wrong_first in {first - 1, first + 1, first ^ 2} - {first}:
        assert not verify_consistency(wrong_first, second, root1, root2, hashes)
    for wrong_second in {second * 2, second // 2} - {second}:
        assert not verify_consistency(first, wrong_second, root1, root2, hashes)
    assert not verify_consistency(first, second, SOME_HASH, root2, hashes)
    assert not verify_consistency(first, second, root1, SOME_HASH, hashes)
    assert not verify_consistency(first, second, root2, root1, hashes)
    assert not verify_consistency(first, second, root1, root2, [])
    for variant in [*_tampered(hashes), [*hashes, root1], [*hashes, root2], [hashes[0], *hashes]]:
        assert not verify_consistency(first, second, root1, root2, variant)
        assert rfc6962.roots_from_proof(first, second, variant, root1) != (root1, root2)


def test_trivial_consistency_holds_only_when_it_should() -> None:
    assert verify_consistency(0, 0, SOME_HASH, ROOT8, [])  # the empty tree: nothing to prove
    assert verify_consistency(0, 8, SOME_HASH, ROOT8, [])
    assert verify_consistency(8, 8, ROOT8, ROOT8, [])
    assert not verify_consistency(8, 8, ROOT8, SOME_HASH, [])  # same size, another root: a fork
    assert not verify_consistency(8, 8, ROOT8, ROOT8, [EMPTY_ROOT])
    assert not verify_consistency(0, 8, SOME_HASH, ROOT8, [EMPTY_ROOT])
    assert not verify_consistency(2, 1, ROOT8, ROOT8, [])  # time travel
    assert not verify_consistency(1, 2, ROOT8, ROOT8, [])
    with pytest.raises(TransparencyLogError):
        MerkleTree([SOME_HASH]).consistency_proof(2, 1)
    with pytest.raises(TransparencyLogError):
        MerkleTree([SOME_HASH]).consistency_proof(1, 2)  # beyond the tree


def test_a_rewritten_history_fails_the_consistency_proof() -> None:
    data = _leaves(20, seed=3)
    honest = MerkleTree(leaf_hash(d) for d in data[:13])
    old_root = honest.root()
    rewritten = [*data[:6], b"a different past", *data[7:]]
    forged = MerkleTree(leaf_hash(d) for d in rewritten)
    proof = forged.consistency_proof(13, 20)
    assert not proof.verify(old_root, forged.root())
    # The honest continuation verifies, so the failure above is the rewrite's doing.
    for d in data[13:]:
        honest.append(leaf_hash(d))
    assert honest.consistency_proof(13, 20).verify(old_root, honest.root())


def test_appending_reports_the_subtrees_it_completes() -> None:
    tree = MerkleTree()
    made = [[node for node, _ in tree.append(leaf_hash(d))] for d in CT_INPUTS]
    assert made == [
        [],
        [Node(1, 0)],
        [],
        [Node(1, 1), Node(2, 0)],
        [],
        [Node(1, 2)],
        [],
        [Node(1, 3), Node(2, 1), Node(3, 0)],
    ]
    assert sorted(node for node, _ in tree.perfect_nodes()) == sorted(
        Node(level, i) for level in (1, 2, 3) for i in range(8 >> level)
    )


# ----------------------------------------------------------------------------- leaf data

ENTRY = LogEntry(
    event=LogEvent.REVOKE,
    certificate_id=bytes(range(1, 13)),
    certificate_type="civic-training",
    seal_sha256=bytes(range(32)),
)


def test_the_leaf_data_is_the_documented_bytes() -> None:
    assert ENTRY.encode() == (
        b"\x01\x02" + bytes(range(1, 13)) + b"\x0e" + b"civic-training" + bytes(range(32))
    )
    assert LogEntry.decode(ENTRY.encode()) == ENTRY
    assert ENTRY.leaf_hash() == hashlib.sha256(b"\x00" + ENTRY.encode()).digest()


def test_leaf_data_carries_no_name_or_birth_date() -> None:
    issue = LogEntry(
        event=LogEvent.ISSUE,
        certificate_id=bytes(12),
        certificate_type="medical-visit",
        seal_sha256=bytes(32),
    )
    assert set(vars(issue)) == {"event", "certificate_id", "certificate_type", "seal_sha256"}
    assert len(issue.encode()) == 2 + 12 + 1 + len("medical-visit") + 32


@pytest.mark.parametrize(
    "data",
    [
        b"",
        ENTRY.encode()[:-1],
        ENTRY.encode() + b"\x00",
        b"\x02" + ENTRY.encode()[1:],  # a version we do not know
        ENTRY.encode()[:1] + b"\x09" + ENTRY.encode()[2:],  # an unknown event
        ENTRY.encode()[:14] + b"\xff" + ENTRY.encode()[15:],
        ENTRY.encode()[:15] + "é".encode() + ENTRY.encode()[17:],
    ],
)
def test_malformed_leaf_data_is_refused(data: bytes) -> None:
    with pytest.raises(TransparencyLogError):
        LogEntry.decode(data)


def test_an_entry_with_a_personal_looking_type_cannot_be_made() -> None:
    with pytest.raises(TransparencyLogError):
        LogEntry(
            event=LogEvent.ISSUE,
            certificate_id=bytes(12),
            certificate_type="Haddad Amina 1994-07-03",
            seal_sha256=bytes(32),
        )


# ----------------------------------------------------------------------------- tree heads


def test_a_signed_tree_head_verifies_and_names_what_it_signed() -> None:
    store = MemoryKeyStore()
    key = store.add(ec.generate_private_key(ec.SECP256R1()), purpose=KeyPurpose.LOG)
    head = TreeHead(tree_size=8, timestamp=1_767_225_600_000, root_hash=ROOT8)
    sth = sign_tree_head(store, key.key_id, head)
    public = store.public_key(key.key_id)
    assert sth.verify(public)
    assert head.signed_bytes() == (
        b"\x00\x01" + (1_767_225_600_000).to_bytes(8, "big") + (8).to_bytes(8, "big") + ROOT8
    )
    assert head.time.date() == date(2026, 1, 1)
    again = SignedTreeHead.from_document(sth.to_document())
    assert again == sth
    for changed in (
        TreeHead(tree_size=7, timestamp=head.timestamp, root_hash=ROOT8),
        TreeHead(tree_size=8, timestamp=head.timestamp + 1, root_hash=ROOT8),
        TreeHead(tree_size=8, timestamp=head.timestamp, root_hash=EMPTY_ROOT),
    ):
        assert not SignedTreeHead(head=changed, key_id=key.key_id, signature=sth.signature).verify(
            public
        )
    other = ec.generate_private_key(ec.SECP256R1()).public_key()
    assert not sth.verify(other)


@pytest.mark.parametrize(
    "document",
    [
        {},
        {
            "tree_size": "8",
            "timestamp": 1,
            "root_hash": ROOT8.hex(),
            "key_id": "00",
            "signature": "",
        },
        {
            "tree_size": -1,
            "timestamp": 1,
            "root_hash": ROOT8.hex(),
            "key_id": "00",
            "signature": "",
        },
        {"tree_size": 8, "timestamp": 1, "root_hash": "zz", "key_id": "00", "signature": ""},
        {"tree_size": 8, "timestamp": 1, "root_hash": "00", "key_id": "00", "signature": ""},
        {
            "tree_size": 8,
            "timestamp": 1,
            "root_hash": ROOT8.hex(),
            "key_id": "00",
            "signature": "*",
        },
        {
            "tree_size": True,
            "timestamp": 1,
            "root_hash": ROOT8.hex(),
            "key_id": "",
            "signature": "",
        },
    ],
)
def test_a_malformed_tree_head_document_is_refused(document: dict[str, object]) -> None:
    with pytest.raises(TransparencyLogError):
        SignedTreeHead.from_document(document)
