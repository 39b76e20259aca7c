"""Where a build may write: the output and cache folders checked against the sources.

A build replaces its output folder whole and keeps files of its own in its cache folder, so an
output that is, holds or lies inside the content (or the cache), or that is or holds the
working folder or the repository, would delete what it is built from. `check_folders` refuses
those before anything is read or written.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from ..errors import JixiaoError


class UnsafeFolder(JixiaoError):
    """The output or cache folder overlaps the content, each other, or the working folder or
    repository: building there would delete sources. Exit 1; the message names both folders
    and what to do."""


def _overlap(a: Path, b: Path) -> str:
    """How resolved folder a lies against resolved folder b: "is", "contains", "is inside", or
    "" when neither holds the other."""
    if a == b:
        return "is"
    if a in b.parents:
        return "contains"
    if b in a.parents:
        return "is inside"
    return ""


def check_folders(content: Path, output: Path, cache: Path, cwd: Path | None = None) -> None:
    """Refuse an `output` folder that is, contains or is inside `content` or `cache`, or that is
    or contains the working folder `cwd` (default: the process's) (the repository holds the
    content, so it is covered), or that is a file, git's folder, or a folder of other files
    than a site (`.git`, `docs`, `builder`: `_refuse_what_is_no_site`); and a `cache` that is
    or is inside `content` or `output`.
    Symlinks are followed (paths are resolved); nothing is created or read.

    Raises `UnsafeFolder` (exit 1) with a one-line message naming the two folders.
    """
    here = (cwd or Path.cwd()).resolve()
    where = {
        "content": content.resolve(),
        "output": output.resolve(),
        "cache": cache.resolve(),
    }
    shown = {"content": content, "output": output, "cache": cache}
    pairs = [("output", "content"), ("output", "cache"), ("cache", "content")]
    for first, second in pairs:
        relation = _overlap(where[first], where[second])
        if relation and (first == "output" or relation != "contains"):
            raise UnsafeFolder(_message(first, shown[first], relation, second, shown[second]))
    # The repository holds the content: an output holding the repository was refused above.
    if _overlap(where["output"], here) in ("is", "contains"):
        raise UnsafeFolder(
            f"输出文件夹 {shown['output']} 就是或包含当前工作文件夹({here}):构建会整个替换输出"
            "文件夹,会把它删掉;请换一个 --output(如 site)"
            f" / the output folder {shown['output']} is or contains the working folder ({here}): "
            "a build replaces its output folder whole and would delete it; choose another "
            "--output (e.g. site)"
        )
    _refuse_what_is_no_site(output, where["output"])


# What every build writes at the top of its output folder: one of them left there (a site
# damaged by hand) still says that a build made the folder.
_SITE_MARKS = ("index.html", "assets", "sitemap.xml")


def _refuse_what_is_no_site(shown: Path, output: Path) -> None:
    """Refuse an output that a build would replace but no build made: a file, a folder of
    git's (`.git` or inside it), or a folder with files in it that is not a site (a site's
    folder holds `index.html`, `assets/` and `sitemap.xml`, as every build writes them; one of
    them is enough, for a site damaged by hand). An empty or absent
    folder is taken. Raises `UnsafeFolder` naming it."""
    if ".git" in output.parts:
        reason_zh, reason = "是 git 仓库的内部文件夹", "is git's own folder"
    elif output.exists() and not output.is_dir():
        reason_zh, reason = "是一个文件,不是文件夹", "is a file, not a folder"
    elif (
        output.is_dir()
        and any(output.iterdir())
        and not any((output / name).exists() for name in _SITE_MARKS)
    ):
        reason_zh = "已有文件,却不是 jixiao 生成的网站(没有 index.html、assets/ 或 sitemap.xml)"
        reason = "holds files but is no site jixiao built (no index.html, assets/ or sitemap.xml)"
    else:
        return
    raise UnsafeFolder(
        f"输出文件夹 {shown} {reason_zh}:构建会整个替换输出文件夹,会把里面的东西删掉;请换一个"
        f" --output(如 site),或先把它清空 / the output folder {shown} {reason}: a build "
        "replaces its output folder whole and would delete what is there; choose another "
        "--output (e.g. site) or empty it first"
    )


# The folders and how they lie, in Chinese: `中文 / English`, as `errors.py` says.
_NAMES_ZH = MappingProxyType({"output": "输出", "cache": "缓存", "content": "内容"})
_RELATIONS_ZH = MappingProxyType({"is": "就是", "contains": "包含", "is inside": "位于"})


def _message(first: str, first_path: Path, relation: str, second: str, second_path: Path) -> str:
    where = "之内" if relation == "is inside" else ""
    return (
        f"{_NAMES_ZH[first]}文件夹 {first_path} {_RELATIONS_ZH[relation]}{_NAMES_ZH[second]}"
        f"文件夹 {second_path}{where}:构建会删除或覆盖那里的文件;请在它之外另选 --{first}"
        f" / the {first} folder {first_path} {relation} the {second} folder {second_path}: a build "
        f"would delete or overwrite files there; choose another --{first} outside it"
    )


__all__ = ["UnsafeFolder", "check_folders"]
