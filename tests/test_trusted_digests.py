"""The sources' digests kept by the cache (commands/cache.Digests): a file is read again unless
its stat vouches for the digest an earlier build took, so the fingerprint never goes stale."""
import hashlib
import os

from teipress.commands import cache as cache_mod


def _age(path, seconds: int) -> None:
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 10**9))


def test_a_file_read_long_after_it_changed_is_trusted_by_its_stat(tmp_path):
    f = tmp_path / "a.xml"
    f.write_bytes(b"<a/>")
    _age(f, 60)  # (the mtime is old; the ctime is now, so it stays racy until the ctime is old too)
    first = cache_mod.Digests(None, (str(tmp_path),))
    assert first.sha256(str(f)) == hashlib.sha256(b"<a/>").hexdigest()
    first.save(tmp_path)
    # The record says it was read now: its ctime is within the racy window, so it is read again.
    again = cache_mod.Digests(tmp_path, (str(tmp_path),))
    reads = []
    real_open = open

    def counting_open(path, *args, **kwargs):
        reads.append(path)
        return real_open(path, *args, **kwargs)

    import builtins
    builtins.open, saved = counting_open, builtins.open
    try:
        assert again.sha256(str(f)) == hashlib.sha256(b"<a/>").hexdigest()
    finally:
        builtins.open = saved
    assert reads == [str(f)]
    # A record taken well after the file last changed is trusted: no read.
    sig, _seen, sha = again.new[str(f)]
    trusted = cache_mod.Digests(None, (str(tmp_path),))
    trusted.old[str(f)] = (sig, os.stat(f).st_ctime_ns + 2 * cache_mod.RACY_NS, sha)
    reads.clear()
    builtins.open = counting_open
    try:
        assert trusted.sha256(str(f)) == sha
    finally:
        builtins.open = saved
    assert reads == []


def test_a_changed_file_is_read_again_even_with_a_record_that_would_vouch(tmp_path):
    f = tmp_path / "a.xml"
    f.write_bytes(b"<a/>")
    known = cache_mod.Digests(None, (str(tmp_path),))
    sha = known.sha256(str(f))
    sig, _seen, _ = known.new[str(f)]
    known.old[str(f)] = (sig, os.stat(f).st_ctime_ns + 2 * cache_mod.RACY_NS, sha)
    f.write_bytes(b"<b/>")  # same size, another content (a new ctime at least)
    assert known.sha256(str(f)) == hashlib.sha256(b"<b/>").hexdigest()


def test_the_fingerprint_is_the_same_with_and_without_kept_digests(tmp_path):
    ed = tmp_path / "ed"
    (ed / "tei").mkdir(parents=True)
    for i in range(3):
        (ed / "tei" / f"L{i}.xml").write_bytes(f"<TEI n='{i}'/>".encode())
    out = tmp_path / "out"
    plain = cache_mod.edition_fingerprint(ed, out, {})
    digests = cache_mod.trust_stats(tmp_path / "cache", ed)
    try:
        assert cache_mod.edition_fingerprint(ed, out, {}) == plain
        digests.save(tmp_path)
        cache_mod.trust_stats(tmp_path, ed)
        assert cache_mod.edition_fingerprint(ed, out, {}) == plain
        (ed / "tei" / "L1.xml").write_bytes(b"<TEI n='9'/>")
        assert cache_mod.edition_fingerprint(ed, out, {}) != plain
    finally:
        cache_mod.trust_stats_end()
