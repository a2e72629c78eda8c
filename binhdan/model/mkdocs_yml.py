"""What the core reads from mkdocs.yml without MkDocs (`binhdan check`, `binhdan deploy`,
a build without an engine): the theme folder, the build cache and site_url. The file is
read as YAML nodes: yaml.compose constructs nothing, so none of its Python tags is run."""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml_env_tag import construct_env_tag

from ..common.cache import CACHE_FOLDER


def compose(path: Path) -> yaml.Node | None:
    """The file's nodes; None when there is no such file. Raises OSError,
    UnicodeDecodeError or yaml.YAMLError when it cannot be read (site_url.py reports it)."""
    if not path.is_file():
        return None
    return yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)


def setting(node: yaml.Node | None, *names: str) -> yaml.Node | None:
    """The node at `names` in nested mappings, or None."""
    for name in names:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((value for key, value in node.value if key.value == name), None)
    return node


def theme_dir(root: Path) -> Path | None:
    """The theme folder mkdocs.yml names (`theme: custom_dir:`)."""
    node = setting(_readable(root), "theme", "custom_dir")
    return root / node.value if isinstance(node, yaml.ScalarNode) and node.value else None


def cache_folder(root: Path) -> Path | None:
    """The build cache mkdocs.yml names (`plugins: - binhdan: cache_dir:`, none when empty),
    so that `binhdan check` keeps its parsed files where the build keeps them."""
    plugins = setting(_readable(root), "plugins")  # a list, or a mapping by name
    entries = plugins.value if isinstance(plugins, yaml.SequenceNode) else [plugins]
    node = next((setting(entry, "binhdan", "cache_dir") for entry in entries
                 if setting(entry, "binhdan") is not None), None)
    value = _text(node)
    if value is None:  # not set, or null: MkDocs' default
        return root / CACHE_FOLDER
    return root / value if value else None


def _readable(root: Path) -> yaml.Node | None:
    """The project's mkdocs.yml, or None when it cannot be read (the build says why)."""
    try:
        return compose(root / "mkdocs.yml")
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _text(node: yaml.Node | None) -> str | None:
    """A setting's text as MkDocs reads it: a string, or an `!ENV` variable (read by the
    library MkDocs uses, pyyaml-env-tag); None when it is null or unset."""
    if node is not None and node.tag == "!ENV":
        try:
            value = construct_env_tag(yaml.SafeLoader(""), node)
        except yaml.YAMLError:
            return None
        return None if value is None else str(value)
    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        return None
    return node.value
