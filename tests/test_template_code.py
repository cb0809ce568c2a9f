"""Compiled templates kept in an incremental build's cache (teipress.outputs.template_code):
the next build loads them instead of compiling, and its pages are the same bytes."""
import jinja2

from test_incremental import build, same_tree
from test_shadow import built, clean, word
from teipress.commands import cache as cache_mod
from teipress.outputs import template_code


def test_the_next_build_loads_the_compiled_templates_and_makes_the_same_pages(tmp_path, monkeypatch):
    root, out = built(tmp_path, monkeypatch, 3, [], jobs=1)
    compiled = []
    real = jinja2.Environment._compile

    def compiling(self, source, filename):
        compiled.append(filename)
        return real(self, source, filename)

    monkeypatch.setattr(jinja2.Environment, "_compile", compiling)
    word(root, 2, 1)
    built_again = build(root, out)
    assert not built_again.up_to_date and compiled == []  # (every template came from the cache)
    clean(root, tmp_path / "clean")  # no cache: compiled, the same pages
    assert compiled
    assert same_tree(out, tmp_path / "clean") == []


def test_code_of_another_jinja_or_python_is_compiled_again(tmp_path):
    cache = cache_mod.Cache(tmp_path / "cache")
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ x }}!"}), autoescape=True,
                             bytecode_cache=template_code.TemplateCode(cache))
    bucket = env.bytecode_cache.get_bucket(env, "t.html", None, "{{ x }}!")
    cache.put(template_code.KIND, template_code.TemplateCode._key(bucket), b"not jinja bytecode")
    assert env.get_template("t.html").render(x="<b>") == "&lt;b&gt;!"
