"""The `jixiao template` command: its arguments and what it writes."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

FAMILIES = ("central", "anhui-xianjie", "sichuan", "hubei-2020", "yinchuan")


def add_arguments(parser: argparse.ArgumentParser, lang: str = "zh") -> None:
    """The options of `jixiao template`, their help in `lang` ("zh" or "en")."""
    from ..i18n import say

    parser.add_argument(
        "--xlsx", action="store_true", required=True, help=say("help.template.xlsx", lang)
    )
    parser.add_argument("--output", "-o", help=say("help.template.output", lang))
    parser.add_argument(
        "--template",
        choices=FAMILIES,
        metavar="FAMILY",
        default="central",
        help=say("help.template.template", lang),
    )
    parser.add_argument("--year", type=int, help=say("help.template.year", lang))
    parser.add_argument("--force", action="store_true", help=say("help.template.force", lang))


def default_name(family: str, year: int | None) -> str:
    """jixiao-template-central-2023.xlsx (no year: jixiao-template-central.xlsx)."""
    return f"jixiao-template-{family}" + (f"-{year}" if year else "") + ".xlsx"


def write_template(args: argparse.Namespace) -> int:
    """Write the blank workbook (atomically); 1 with a message in Chinese when the file
    exists and `--force` is not given, or when it cannot be written."""
    from ..form.load import load_config
    from ..rules.policies import SitePolicies
    from .template import template_bytes, template_policy

    target = Path(args.output or default_name(args.template, args.year))
    if target.exists() and not args.force:
        print(
            f"jixiao template: {target}: 文件已存在,未覆盖;加 --force 覆盖它"
            f" / the file exists and was left as it is: add --force to overwrite it",
            file=sys.stderr,
        )
        return 1
    config, _, _ = load_config(Path(args.content))
    policy = template_policy(SitePolicies.of_config(config), args.template, args.year)
    data = template_bytes(args.template, args.year, policy)
    try:
        _write_atomic(target, data)
    except OSError as error:
        print(
            f"jixiao template: {target}: 无法写入({error.strerror}) / cannot write", file=sys.stderr
        )
        return 1
    source = "site.yaml" if config is not None else "全国规则(未找到 site.yaml)"
    print(f"已写入 {target}(表样 {args.template},评分规则 {policy.name},来自 {source})")
    return 0


def _write_atomic(target: Path, data: bytes) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
