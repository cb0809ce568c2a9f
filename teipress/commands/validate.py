"""`teipress validate`: well-formedness, schema and integrity rules, all at once."""
from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Callable

from .. import edition as edition_mod, workers
from ..config import ConfigError
from ..edition import Edition
from ..validation import catalog, facts as facts_mod, recall, rules, schema
from ..validation.diagnostics import Report


# Schema validation (pure Python) dominates for large editions; from this many
# files on it is spread over the cores.
PARALLEL_FROM = 8


def validate_edition(ed: Edition, report: Report, jobs: int | None = None, cache=None) -> int:
    """Check a loaded edition; returns the number of files checked.

    jobs: worker processes for schema validation (default: the cores, or
    TEIPRESS_JOBS); 1 keeps everything in this process.  A process that runs
    threads (`teipress serve` rebuilding) never forks: it validates in-process.
    cache: an incremental build's cache (teipress.commands.cache): a file whose bytes
    and schemas are unchanged is not schema-checked again.
    """
    for err in ed.errors:
        report.error(err.path, err.line, err.col, err.message, err.rule)
    loading = ed.recall if cache is not None else None
    if loading is not None:  # (the last build's findings, named from the folder it ran in)
        recall.localise(loading, report)
    todo = plan_schemas(ed, report, cache)
    if cache is not None:
        for m in {id(m): m for _f, models in todo for m in models}.values():  # (the same few objects)
            schema.keep_compiled(m, cache)
    found = None
    if loading is not None:
        # The integrity rules first: the changed files' schema check is still at work in a
        # child (teipress.validation.facts.Checked); their diagnostics follow the schema's.
        rules_report = Report(base=report.base)
        rules_report._names = report._names
        found = recall.check_rules(ed, rules_report, loading)
    todo, done = _checked_in_loading(report, todo)
    keys: dict = {}
    schemas: dict = {}  # rel → (key, pickled diagnostics): each file's schema findings, for the memo
    if cache is not None:
        todo, keys = _cached_schemas(report, todo, cache, done, loading, schemas)
    _compile_before_forking(todo, cache)
    _validate_schemas(report, todo, _jobs(jobs))
    if keys:
        _store_schemas(report, keys, cache, schemas)
    if found is not None:  # what the last build found of files unchanged is not found again
        report.items.extend(rules_report.items)
        recall.remember(ed, loading, found, schemas)
    else:
        rules.check(ed, report)
    _drop_shadowed(report)
    apply_severities(ed.config, report)
    return len(ed.files) + len(ed.errors)


def plan_schemas(ed: Edition, report: Report, cache=None) -> list[tuple]:
    """Which schemas each file is validated against (see validation/schema.py), each
    compiled here, before any worker is forked.  Problems with the schemas themselves
    are reported once each; a file never goes without a grammar."""
    root = ed.root.resolve()
    fixed = None
    configured = ed.config.get("schema")
    if configured:
        model = schema.configured_model(configured, ed.root)
        cfg = ed.config.path or ed.root / "edition.toml"
        if not model.path.is_relative_to(root):
            report.error(cfg, 1, 1, f"schema '{configured}' lies outside the edition folder", "schema-outside")
        elif not model.path.is_file():
            report.error(cfg, 1, 1, f"schema '{configured}' does not exist", "schema-missing")
        elif _usable(report, model, cfg, 1, {}, cache):
            fixed = model
    remote: dict[str, list] = {}  # href -> [first file, its line, files naming it]
    outside: dict[str, list] = {}  # href -> [first file, its line, files naming it]
    absent: dict[str, list] = {}  # href -> [first file, its line, files naming it]
    tei_dir = (ed.root / "tei").resolve()
    unnamed: list = []
    broken: dict = {}
    todo = []
    # Thousands of letters name the same schemas from the same folder: each is found once.
    found: dict[tuple, list] = {}
    is_file = _Memo(lambda p: p.is_file())
    in_root = _Memo(lambda p: p.is_relative_to(root))
    in_tei = _Memo(lambda p: p.is_relative_to(tei_dir))
    fallback = schema.fallback_model()
    for f in ed.files:
        models = [fixed] if fixed else []
        remote_here = []
        if not fixed:
            decl = facts_mod.light(f).models
            where = (tuple(map(tuple, decl)), os.path.dirname(str(f.path)))
            declared = found.get(where)
            if declared is None:
                declared = found[where] = schema.models_of(decl, f.path)
            if not declared and not configured:
                unnamed.append(f)
            for m in declared:
                if m.remote or (not is_file(m.path) and schema.is_tei_schema(m.href)):
                    remote_here.append(m)  # TEI's own schema, out of reach: the shipped one stands in
                elif not in_root(m.path):
                    # Projects keep schemas beside their sources (../schema/x.rng); an edition
                    # folder made of their sources is still read, but nothing outside it is.
                    outside.setdefault(m.href, [f, m.line, set()])[2].add(f.path)
                elif not is_file(m.path) and not in_tei(m.path):
                    # ../meta/x.sch: a schema kept beside the sources in the editors' repository,
                    # not part of the edition folder we were given
                    absent.setdefault(m.href, [f, m.line, set()])[2].add(f.path)
                elif not is_file(m.path):
                    report.error(f.path, m.line, 1, f"the schema '{m.href}' named in <?xml-model?> does not "
                                 f"exist ({_rel(m.path, root)})", "schema-missing")
                elif _usable(report, m, f.path, m.line, broken, cache):
                    models.append(m)
        grammars = {m.path for m in models if m.kind == "rng"}
        # TEI's templates name tei_all.rng twice, as RELAX NG and as Schematron: its rules run once
        models = [m for m in models if not (m.kind == "sch" and m.path in grammars)]
        if not any(m.kind in ("xsd", "rng") for m in models):
            models.append(fallback)  # never without a grammar
            for m in remote_here:  # said only when the remote schema's place is taken
                remote.setdefault(m.href, [f, m.line, set()])[2].add(f.path)
        todo.append((f, models))
    fallback = fallback.path.name
    # Each schema out of reach is said once, with the number of files that name it.
    said = {"schema-remote": ("note", remote, lambda href: (
                f"the remote schema '{href}', which is not fetched" if schema._is_remote(href)
                else f"TEI's schema '{href}', which is not in the edition") + ": validated against "),
            "schema-outside": ("warning", outside, lambda href: (
                f"the schema '{href}', which lies outside the edition folder: it is not read, and ")),
            "schema-absent": ("warning", absent, lambda href: (
                f"the schema '{href}', which is not in the edition folder (it lies outside tei/): "))}
    advice = {"schema-remote": "instead", "schema-outside": "is used instead (copy it into the edition, or "
              "name it with `schema` in edition.toml)", "schema-absent": "is used instead (copy it into the "
              "edition to have it checked)"}
    for rule, (severity, hrefs, what) in said.items():
        for href, (f, line, names) in sorted(hrefs.items()):
            files = "this file names" if len(names) == 1 else f"{len(names)} files name"
            report.add(f.path, line, 1, severity,
                       f"{files} {what(href)}teipress's own schema ({fallback}) {advice[rule]}", rule)
    if unnamed:
        files = "this file names" if len(unnamed) == 1 else f"{len(unnamed)} files name"
        report.add(unnamed[0].path, 1, 1, "note",
                   f"{files} no schema (<?xml-model?>): validated against teipress's own schema ({fallback})",
                   "schema-default")
    return todo


class _Memo:
    """A function of a path, worked out once per path."""

    def __init__(self, fn):
        self.fn, self.known = fn, {}

    def __call__(self, path):
        if path not in self.known:
            self.known[path] = self.fn(path)
        return self.known[path]


def loading_check(root: Path, config, files: list, cache=None) -> "Callable | None":
    """The schema check done in the pass that parses each file for its facts (teipress.edition.load
    with check=this), so that a file is parsed once.  The schemas *files* name (read off their
    prologs: a guess, which only decides what is compiled) and teipress's own are compiled here,
    before the workers are forked.  Returns check(file, facts) -> (schemas, report base,
    diagnostics), or None for a file whose schemas are not all compiled (validate_edition then
    checks it, as it checks any file whose planned schemas are not those it was checked against).
    *cache*: an incremental build's, which keeps the compiled XSDs (schema.from_cache)."""
    fallback = schema.fallback_model()
    fixed = None
    configured = config.get("schema")
    if configured:
        model = schema.configured_model(configured, root)
        if not (model.path.is_relative_to(root.resolve()) and model.path.is_file()):
            return None
        # as plan_schemas: never without a grammar
        fixed = [model] if model.kind in ("xsd", "rng") else [model, fallback]
        wanted = fixed
    else:
        wanted = []
        for f in files:
            ms = [m for m in schema.prolog_models(f.path) if not m.remote and m.path.is_file()]
            wanted += [m for m in ms if m.path.is_relative_to(root.resolve())]
            if not any(m.kind in ("xsd", "rng") for m in ms):
                wanted.append(fallback)
    usable: dict = {}  # (kind, path) -> whether it compiles (plan_schemas's _usable)
    for m in wanted:
        if (m.kind, m.path) not in usable:
            try:
                schema.from_cache(m, cache)
                schema.load(m)
                usable[(m.kind, m.path)] = True
            except Exception:  # a broken schema: validate_edition says so
                usable[(m.kind, m.path)] = False
    if fixed is not None and not all(usable.values()):
        return None
    fast_path = schema.fast_path_for(len(files))
    if fast_path:  # (before the workers are forked)
        for m in wanted:
            if usable.get((m.kind, m.path)):
                schema.prepare(m)
    real_root = root.resolve()
    base = Path.cwd()

    def planned(f, facts) -> list | None:
        """plan_schemas's choice for *f*, or None when it rests on a schema not compiled here."""
        if fixed is not None:
            return fixed
        models = []
        for m in schema.models_of(facts.models, f.path):
            if (m.remote or (not m.path.is_file() and schema.is_tei_schema(m.href))
                    or not m.path.is_relative_to(real_root) or not m.path.is_file()):
                continue  # out of reach, or missing: plan_schemas says so, and uses none of them
            if (m.kind, m.path) not in usable:
                return None
            if usable[(m.kind, m.path)]:
                models.append(m)
        grammars = {m.path for m in models if m.kind == "rng"}
        models = [m for m in models if not (m.kind == "sch" and m.path in grammars)]
        if not any(m.kind in ("xsd", "rng") for m in models):
            if not usable.get((fallback.kind, fallback.path)):
                return None
            models.append(fallback)
        return models

    def check(f, facts) -> tuple | None:
        models = planned(f, facts)
        if models is None:
            return None
        sub = Report(base=base)
        for m in models:
            schema.validate(sub, m, f.path, f.tree, fast_path)
        return tuple(models), str(base), sub.items

    return check


def _checked_in_loading(report: Report, todo) -> tuple[list, list]:
    """The files of *todo* not schema-checked while loading (loading_check) against the schemas
    planned for them; the diagnostics of the others go to *report*, and are returned with them."""
    left = []
    done = []
    base = str(report.base)
    for f, models in todo:
        got = f.checked
        if got is None:
            left.append((f, models))
            continue
        if isinstance(got, facts_mod.Checked):
            got = got.get()
        if isinstance(got, bytes):  # (as the worker that checked it sent it: facts._read_file)
            got = pickle.loads(got)
        # (taken: the report holds its diagnostics now, and packs them once shown; the file
        # holding them too would keep every one as objects until the build ends)
        f.checked = None
        if got is not None and got[0] == tuple(models) and got[1] == base:
            report.items.extend(got[2])
            done.append((f, models, got[2]))
        else:
            left.append((f, models))
    return left, done


def _usable(report: Report, model, where, line: int, broken: dict, cache=None) -> bool:
    """Whether *model* compiles; report why it cannot be used, once per schema.  *cache*: an
    incremental build's, which keeps the verdict under the schema's content, so a build whose
    files are all checked already need not compile it."""
    if (model.kind, model.path) in broken:
        return False
    outcome, *detail = _verdict(model, cache)
    if outcome == "ok":
        skipped, total = detail
        if skipped and ("partial", model.path) not in broken:
            broken[("partial", model.path)] = True  # said once per schema
            report.warning(where, line, 1, f"schema '{model.href}': {skipped} of the {total} Schematron "
                           "patterns it embeds use XPath 2 or XSLT 2, which teipress cannot run (lxml "
                           "runs XSLT 1.0): they were not checked", "schema-unsupported")
        return True
    broken[(model.kind, model.path)] = True
    if outcome == "unsupported":
        report.warning(where, line, 1, f"schema '{model.href}': {detail[0]}", "schema-unsupported")
    else:
        report.error(model.path, 1, 1, f"cannot compile schema: {detail[0]}".splitlines()[0], "schema-compile")
    return False


def _verdict(model, cache=None) -> tuple:
    """('ok', Schematron patterns skipped, patterns in all) | ('unsupported', why) |
    ('error', why): *model* compiled (the compiled schema stays in schema.load's cache), or
    the verdict of the same schema's content from *cache*."""
    from . import cache as cache_mod

    key = None
    if cache is not None and model.path is not None:
        key = cache_mod.digest("schema-verdict", cache_mod.tool_fingerprint(), model.kind, str(model.path),
                               _schema_digest(model.path))
        hit = cache.get_object("schema", key)
        if isinstance(hit, tuple):
            return hit
    try:
        schema.load(model)
        outcome = ("ok", *(schema.skipped_rules(model) if model.kind in ("rng", "sch") else (0, 0)))
    except schema.SchemaUnsupported as exc:
        outcome = ("unsupported", str(exc))
    except Exception as exc:  # a broken schema is the edition's error, not a crash
        outcome = ("error", str(exc))
    if key is not None:
        cache.put_object("schema", key, outcome)
    return outcome


def _compile_before_forking(todo, cache=None) -> None:
    """Compile the schemas of the files still to check, before any worker is forked (each
    would compile its own); a schema that fails here fails there too, and is reported so."""
    for m in dict.fromkeys(m for _f, models in todo for m in models):
        try:
            schema.from_cache(m, cache)
            schema.load(m)
            if schema.fast_path_for(len(todo)):
                schema.prepare(m)
        except Exception:
            pass


def rules_help() -> str:
    """The rules and their default severities, for `teipress validate --help`."""
    lines = ["\b", "Rules (default severity; * cannot be changed):"]
    for name, (severity, adjustable, what) in catalog.RULES.items():
        lines.append(f"  {name}{'' if adjustable else '*'} ({severity}): {what}")
    return "\n".join(lines)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def apply_severities(config, report: Report) -> None:
    """The edition's [rules] table (checked when edition.toml is read) sets each rule's severity."""
    table = config.get("rules") or {}
    wanted = {catalog.canonical(k) or k: v for k, v in table.items()}
    if not wanted:
        return
    items = []
    for d in report.items:
        sev = wanted.get(d.rule)
        if sev == "ignore":
            continue
        items.append(d._replace(severity=sev) if sev else d)
    report.items = items


def _jobs(jobs: int | None) -> int:
    if jobs is None:
        jobs = int(os.environ.get("TEIPRESS_JOBS") or 0) or os.cpu_count() or 1
    return max(1, jobs)


def _validate_schemas(report: Report, todo, jobs: int) -> None:
    """Each file of *todo* against its schemas; on every core (teipress.workers) for many
    files: the workers are forked after the schemas are compiled and the files parsed, so
    they inherit both."""
    fast_path = schema.fast_path_for(len(todo))

    def one(job) -> list:
        f, models = job
        sub = Report(base=report.base)
        for m in models:
            schema.validate(sub, m, f.path, f.tree, fast_path)
        return sub.items

    for items in workers.forked_map(one, todo, PARALLEL_FROM, jobs):
        report.items.extend(items)


def _cached_schemas(report: Report, todo, cache, done: list, loading=None, schemas: dict | None = None) -> list:
    """The files of *todo* whose schema diagnostics are not in *cache* (those in it are added
    to *report*), and the keys to store the others under once they are checked.  *done*: the
    files of the plan checked while loading, each file's diagnostics stored now.  *loading*:
    an incremental build's (teipress.validation.recall), whose memo holds the last build's
    diagnostics of each file; *schemas* receives each file's (key, pickled diagnostics)."""
    import pickle

    misses = []
    keys = {}
    digests: dict = {}  # each schema's folder read once, not once per file
    memo = loading.memo if loading is not None else None
    base = str(report.base)
    schemas = {} if schemas is None else schemas
    for f, models, items in done:
        if f.digest:
            key, on = _schema_key(report, f, models, digests)
            cache.put_object("schema", key, items)
            schemas[f.rel] = (key, on, pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL))
    for f, models in todo:
        if not f.digest:
            misses.append((f, models))
            continue
        rec = memo.files.get(f.rel) if memo is not None else None
        if rec is not None and rec.digest == f.digest and memo.base == base and rec.schema_on == _schemas_digest(
                models, digests):  # (the same file, bytes and schemas: the memo's key, not worked out again)
            cache.keep("schema", rec.schema_key)  # (a later build that cannot use the memo reads it)
            if rec.schema != recall.EMPTY:
                report.items.extend(pickle.loads(rec.schema))
            schemas[f.rel] = (rec.schema_key, rec.schema_on, rec.schema)
            continue
        key, on = _schema_key(report, f, models, digests)
        items = cache.get_object("schema", key)
        if items is None:
            keys[f.path] = key
            misses.append((f, models))
            schemas[f.rel] = (key, on, f.path)  # (_store_schemas puts its diagnostics here)
        else:
            report.items.extend(items)
            schemas[f.rel] = (key, on, pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL))
    return misses, keys


def _schema_key(report: Report, f, models, digests: dict) -> tuple[str, str]:
    """What a file's schema diagnostics depend on: its bytes, its schemas' files, where the
    report names files from, and teipress; and the part of it that is its schemas' files."""
    from . import cache as cache_mod

    on = _schemas_digest(models, digests)
    return cache_mod.digest(cache_mod.tool_fingerprint(), str(report.base), str(f.path), f.digest, on), on


def _schemas_digest(models, digests: dict) -> str:
    """The digest of *models*' files (the same few schemas for thousands of files: worked out once)."""
    from . import cache as cache_mod

    schemas = ("models", tuple(models))
    if schemas not in digests:
        digests[schemas] = cache_mod.digest(
            [(m.kind, str(m.path), _schema_digest(m.path, digests)) for m in models])
    return digests[schemas]


def _schema_digest(path: Path | None, digests: dict | None = None) -> list:
    """A schema and the files beside it (what it includes or imports); *digests*: those
    worked out already in this run, by folder."""
    from . import cache as cache_mod

    if path is None or not path.is_file():
        return []
    if digests is None:
        return cache_mod.folder_digest(path.parent)
    if path.parent not in digests:
        digests[path.parent] = cache_mod.folder_digest(path.parent)
    return digests[path.parent]


def _store_schemas(report: Report, keys: dict, cache, schemas: dict | None = None) -> None:
    import pickle

    names = {report._name(p): p for p in keys}
    found: dict = {p: [] for p in keys}
    for d in report.items:
        p = names.get(d.path)
        if p is not None and d.rule in SCHEMA_RULES:
            found[p].append(d)
    for p, key in keys.items():
        cache.put_object("schema", key, found[p])
    for rel, (key, on, p) in list((schemas or {}).items()):
        if isinstance(p, Path):
            schemas[rel] = (key, on, pickle.dumps(found[p], protocol=pickle.HIGHEST_PROTOCOL))


# What schema.validate reports about a file (the rest comes from the integrity rules).
SCHEMA_RULES = ("schema", "schematron")


def _drop_shadowed(report: Report) -> None:
    """One problem, one message: a specific rule's error (e.g. [date-iso]) replaces
    the generic schema error reported at the same spot."""
    specific = {(d.path, d.line, d.col) for d in report.errors if d.rule not in ("schema",)}
    report.items = [d for d in report.items
                    if not (d.rule == "schema" and (d.path, d.line, d.col) in specific)]


def validate_paths(paths: list[Path]) -> tuple[Report, int]:
    """Validate edition folders or single files (a file is checked with its edition)."""
    report = Report(base=Path.cwd())
    count = 0
    for p in paths:
        p = Path(p)
        if p.is_dir():
            root = p if (p / "tei").is_dir() else (p.parent if p.name == "tei" else p)
            if not (root / "tei").is_dir():
                report.error(p, 1, 1, f"'{p}' is not an edition folder (no tei/ inside)", "usage")
                continue
            only = None
        else:
            root = _edition_of(p)
            only = p.resolve()
        try:
            ed = edition_mod.load(root, check=loading_check) if root is not None else _single(p)
        except ConfigError as exc:
            report.error(exc.path, exc.line, 1, exc.message, "config")
            continue
        sub = Report(base=Path.cwd())
        n = validate_edition(ed, sub)
        if only is not None:
            sub.items = [d for d in sub.items if Path(d.path).resolve() == only]
            n = 1
        report.extend(sub)
        count += n
    return report, count


def _edition_of(path: Path) -> Path | None:
    for parent in path.resolve().parents:
        if parent.name == "tei" and parent.parent.is_dir():
            return parent.parent
    return None


def _single(path: Path) -> Edition:
    """A lone TEI file outside any edition folder: an edition of one."""
    from ..config import Config
    from ..xmlparse import XmlError, parse

    ed = Edition(root=path.parent, config=Config())
    try:
        tree = parse(path)
        ed.files.append(edition_mod.TeiFile(path, path.name, tree, edition_mod.classify(tree.getroot())))
    except XmlError as exc:
        ed.errors.append(exc)
    ed.index()
    return ed
