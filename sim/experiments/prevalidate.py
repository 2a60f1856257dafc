"""Checking a command line's run or sweep before Hydra starts, so that bad input writes nothing.

``python -m sim [overrides]`` (and ``-m`` for a sweep) hands its overrides to Hydra, which makes
folders and starts jobs before a bad value shows. :func:`check` runs first, in the launching
process, without the model:

* every override is parsed with Hydra's grammar: ``design=choice()`` or ``citizens.fear_mean=[1,``
  is one line naming the override, not Hydra's traceback;
* the preset files the overrides name (``+experiment=x``, ``design=a,b``) are found on the search
  path Hydra will use -- the package's presets, then ``--config-dir``, then ``hydra.searchpath`` --
  so an installed package can bring its own experiments, and each is read with
  :mod:`sim.config.files` before Hydra loads it: at most 1 MB, no YAML aliases (a "billion laughs"
  stops at once), no key twice, no resolver but Hydra's own ``now`` and ``hydra`` (an experiment
  file from elsewhere cannot read ``${oc.env:TOKEN}``), no ``..`` in its defaults; an experiment
  file must hold an ``experiment:`` section (an empty one ran the default run); a file may set only
  ``hydra.mode``, ``hydra.run.dir``, ``hydra.sweep.dir`` (under outputs/) and ``hydra.sweeper.params`` (of
  model keys), may not place itself or a preset it chooses in Hydra's settings (``# @package hydra...``,
  ``@hydra...``), may choose no Hydra group but the package's launchers, and every preset its defaults
  choose is checked as the file is (a Hydra callback, a logging handler or a launcher names any Python
  callable: a file from elsewhere must not run code or write elsewhere);
* the fixed values are composed once with Hydra's settings, which gives the sweep an experiment
  file declares (``hydra.sweeper.params``) beside the command line's; a key the command line sets
  replaces the file's sweep of it, as in Hydra's basic sweeper, and ``hydra.sweeper.params.<key>``
  on the command line is refused (Hydra reads a dotted key there as nested keys): the key itself is
  the command line's way to sweep it;
* every value of every sweep is composed and validated (``experiment.batch``, ``seed`` and
  ``replicate`` are checked against their ranges without composing), so an out-of-range value in
  an experiment file stops before any job; an ``interval(...)`` sweep, which the basic sweeper
  cannot run (it left an empty sweep folder), is refused;
* ``experiment.posterior`` must name an existing calibration (a folder with posterior.parquet,
  or the file), on a single run as in a sweep, whose posterior reads and passes the checks of
  :func:`sim.posterior.load_posterior` (a Parquet file, finite weights, parameters within range, ...).

Every problem is a :class:`~sim.config.keys.ConfigError`: one line naming the key, the value
and what is allowed.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import math
import os
import re
import shlex
from collections.abc import Sequence
from pathlib import Path

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Glob, Override, RangeSweep
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf, open_dict

from sim.config.compose import CONFIG_DIR, GROUPS, check_option, compose_node, mapping, to_config
from sim.config.files import FileError, load_yaml, resolver_calls, strings
from sim.config.keys import ConfigError, check_override_length, describe_range, iter_params
from sim.config.schema import IN_PROCESS_KINDS, Config
from sim.experiments.abc_settings import (
    check_command_line,
    check_no_password_in_sweep,
    check_run,
    check_settings_used,
    is_calibration,
)

__all__ = ["GRAMMAR", "CommandLine", "check", "parse_command_line", "parse_problem", "preset_file"]

#: What a value may look like, for the message of an override that does not parse.
GRAMMAR = "key=value in Hydra's override grammar (a,b or [a,b]; range(0,10,2); choice(a,b); quotes for spaces)"
#: Resolvers an experiment file may call: Hydra's own bookkeeping (the time, Hydra's settings).
ALLOWED_RESOLVERS = ("now", "hydra")
#: Command-line options of Hydra that take the next argument as their value.
_WITH_VALUE = ("--config-dir", "-cd", "--config-path", "-cp", "--config-name", "-cn", "--cfg", "-c",
               "--package", "-p", "--info", "-i", "--experimental-rerun")
#: Hydra's options that the command line does not take, and why: a pickled config can run any code, and
#: the package's config.yaml is the one primary config (another one could set any Hydra setting, unchecked).
_REFUSED = {
    "--experimental-rerun": "it loads a pickled config, which can run any code",
    **dict.fromkeys(("--config-path", "-cp", "--config-name", "-cn"),
                    "the package's config is the only primary config; presets are chosen with key=value "
                    "(+experiment=<name>), experiment files are found with --config-dir"),
}
#: Hydra's options the command line takes, each only as written here: argparse, which reads them for Hydra, also
#: takes any unambiguous start of a long option (``--exp`` for ``--experimental-rerun``), so another spelling is
#: refused rather than guessed.
_TAKEN = ("-h", "--help", "--hydra-help", "--version", "--cfg", "-c", "--resolve", "--package", "-p", "--run", "-r",
          "--multirun", "-m", "--config-dir", "-cd", "--info", "-i", "--shell-completion", "-sc")
#: What the command line takes besides overrides (for the message of a refused option).
_OPTIONS = "key=value overrides, -m, --config-dir <folder>, --cfg job|hydra|all [--package <key>], --info, --help"
#: Hydra's options that stand for a whole command, by their short names: only one of them at a time (Hydra's rule).
_MODES = {"--cfg": "--cfg", "-c": "--cfg", "--info": "--info", "-i": "--info", "--shell-completion": "-sc",
          "-sc": "-sc", "--run": "-r", "-r": "-r"}
#: What --info may describe (its value is optional: another argument after it is not its value).
_INFO = ("all", "config", "defaults", "defaults-tree", "plugins", "searchpath")
#: Swept keys checked against their range without composing (a sweep of 1,000 seeds composes nothing).
_NUMBERS = ("seed", "replicate")
#: Quotes around a value on the command line.
QUOTES = "\"'"


@dataclasses.dataclass
class CommandLine:
    """What :func:`check` needs of ``python -m sim``'s arguments."""

    overrides: list[Override]  # every key=value, parsed (Hydra's settings too)
    config_dirs: list[Path]    # --config-dir
    multirun: bool


def parse_command_line(argv: Sequence[str]) -> CommandLine:
    """The command line's overrides, parsed with Hydra's grammar, and its ``--config-dir``."""
    parser = OverridesParser.create()
    overrides: list[Override] = []
    dirs: list[Path] = []
    multirun = False
    modes: list[str] = []
    args = list(argv)
    typed: list[str] = []  # the overrides as typed
    late: tuple[str, str] | None = None  # an option after an override, and that override
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in ("-m", "--multirun"):
            multirun = True
            modes.append("-m")
            late = late or ((arg, typed[-1]) if typed else None)
            continue
        if arg.startswith("-"):
            name, eq, value = arg.partition("=")
            late = late or ((arg, typed[-1]) if typed else None)
            if name in _WITH_VALUE and not eq and i < len(args) and not (name in ("--info", "-i")
                                                                         and args[i] not in _INFO):
                value = args[i]
                i += 1
            if name in _REFUSED:
                raise ConfigError(f"{name} {value}".rstrip() + f": not taken ({_REFUSED[name]}); allowed: {_OPTIONS}")
            if name not in _TAKEN:
                raise ConfigError(f"{arg}: not an option of this command (options are taken only as written in full); "
                                  f"allowed: {_OPTIONS}")
            if name in _MODES:
                modes.append(_MODES[name])
            if name in ("--cfg", "-c") and value not in ("job", "hydra", "all"):
                raise ConfigError(f"{name} {value}".rstrip() + ": allowed: --cfg job, --cfg hydra or --cfg all")
            if name in ("--config-dir", "-cd"):
                folder = Path(value)
                if not folder.is_dir():
                    raise ConfigError(f"--config-dir {value}: no such folder; allowed: a folder of config groups "
                                      "(e.g. with experiment/<name>.yaml)")
                dirs.append(folder.resolve())
            continue
        check_override_length(arg)
        if late is not None:  # argparse, which reads the line for Hydra, takes no override after an option
            raise ConfigError(f"{late[0]} after {late[1]}: options must come before the overrides; allowed: "
                              f"python -m sim {shlex.join(_options_first(args))}")
        typed.append(arg)
        if "=" not in arg and not arg.startswith("~"):
            raise ConfigError(f"{arg!r} is not an override; allowed: {GRAMMAR}")
        try:
            overrides.extend(parser.parse_overrides([arg]))
        except HydraException as exc:
            raise ConfigError(f"{arg} does not parse ({parse_problem(exc)}); allowed: {GRAMMAR}") from None
    modes = list(dict.fromkeys(modes))
    if len(modes) > 1:
        raise ConfigError(f"{modes[0]} and {modes[1]} together: each is a command of its own (-m runs a sweep, --cfg "
                          "shows a config, --info describes the search path); allowed: one")
    return CommandLine(overrides, dirs, multirun)


def _options_first(args: Sequence[str]) -> list[str]:
    """The command line ``args`` with its options (each with its value) before its overrides, in their order."""
    options: list[str] = []
    overrides: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg.startswith("-") and arg not in ("-m", "--multirun"):
            name, eq, _ = arg.partition("=")
            options.append(arg)
            if name in _WITH_VALUE and not eq and i < len(args) and not (name in ("--info", "-i")
                                                                         and args[i] not in _INFO):
                options.append(args[i])
                i += 1
        else:
            (options if arg.startswith("-") else overrides).append(arg)
    return [*options, *overrides]


def parse_problem(exc: Exception) -> str:
    """The telling line of a parse error: 'empty choice is not legal', 'no viable alternative at input ...'."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip() and not line.startswith("See ")]
    for line in lines:
        if "while evaluating" in line:
            return line.split(": ", 1)[-1]
    if lines and lines[0].startswith("LexerNoViableAltException"):  # Hydra's lexer points with ^ at a character
        return "a character Hydra's grammar takes only in quotes, such as a letter with an accent: key='value'"
    return lines[-1].removeprefix("Error parsing override ") if lines else type(exc).__name__


def _search_path(line: CommandLine) -> list[Path]:
    """The folders Hydra searches for presets, in its order: the package's, --config-dir, hydra.searchpath."""
    folders = [CONFIG_DIR, *line.config_dirs]
    for o in line.overrides:
        if o.key_or_group != "hydra.searchpath" or o.is_sweep_override():
            continue
        value = o.value()
        for entry in value if isinstance(value, list) else [value]:
            folder = _folder(str(entry))
            if folder is not None:
                folders.append(folder)
    return folders


def _folder(entry: str) -> Path | None:
    """A search path entry (``file://dir``, ``pkg://package.configs``, ``dir``) as a folder, if there is one."""
    if entry.startswith("pkg://"):
        module = entry.removeprefix("pkg://").strip("/").replace("/", ".")
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            return None
        locations = list(spec.submodule_search_locations or []) if spec is not None else []
        return Path(locations[0]) if locations else None
    folder = Path(entry.removeprefix("file://"))
    return folder.resolve() if folder.is_dir() else None


def preset_file(group: str, option: str, folders: Sequence[Path]) -> Path | None:
    """The file Hydra reads for ``group=option`` (a plain preset name, :func:`check_option`): the first
    ``<folder>/<group>/<option>.yaml`` on the search path."""
    check_option(group, option)
    return _first_file(group, option, folders)


def _first_file(group: str, option: str, folders: Sequence[Path]) -> Path | None:
    """The first ``<folder>/<group>/<option>.yaml`` of ``folders`` that is a file, or None."""
    return next((f / group / f"{option}.yaml" for f in folders if (f / group / f"{option}.yaml").is_file()), None)


def _check_file(group: str, path: Path, folders: Sequence[Path] = (), seen: set[Path] | None = None) -> None:
    """Read a preset file with care before Hydra loads it (see the module's docstring)."""
    try:
        content = load_yaml(path, what=f"{group} file")
    except FileError as exc:
        raise ConfigError(str(exc)) from None
    with open(path, "rb") as f:
        if f.read(3) == b"\xef\xbb\xbf":  # Hydra reads the header after it as text: '# @package' is lost
            raise ConfigError(f"{group} file {str(path)!r} starts with a byte order mark (as Windows Notepad saves "
                              "'UTF-8 with BOM'), which hides its '# @package' line from Hydra; allowed: UTF-8 without "
                              "a byte order mark (save it as plain UTF-8)")
    if group == "experiment" and (not isinstance(content, dict) or not isinstance(content.get("experiment"), dict)):
        what = "is empty" if not content else "sets no experiment: section"
        raise ConfigError(f"experiment file {str(path)!r} {what}; allowed: a file like "
                          "experiments/design_comparison.yaml (experiment: name, kind, ...)")
    for place, text in strings(content):
        calls = [c for c in resolver_calls(text) if c not in ALLOWED_RESOLVERS]
        if calls:
            raise ConfigError(f"{group} file {str(path)!r}: {place}={text!r} calls the resolver {calls[0]}; allowed: "
                              f"plain values, references to keys (${{experiment.name}}) and "
                              f"{', '.join(ALLOWED_RESOLVERS)}; pass anything else on the command line")
    defaults = content.get("defaults", []) if isinstance(content, dict) else []
    for place, text in strings(defaults, "defaults"):
        if ".." in text:
            raise ConfigError(f"{group} file {str(path)!r}: {place}={text!r} leaves the presets' folder; allowed: "
                              "preset names without ..")
    package = _package(path)
    if package.split(".")[0] == "hydra" or package.startswith("_global_.hydra"):
        raise ConfigError(f"{group} file {str(path)!r}: '# @package {package}' places the file in Hydra's settings; "
                          "allowed: a package outside hydra (e.g. _global_, with a hydra: section that sets only "
                          f"{', '.join(f'hydra.{k}' for k in FILE_HYDRA_SETTINGS)})")
    if isinstance(content, dict):
        _check_hydra_section(group, path, content.get("hydra"))
        _check_defaults(group, path, defaults, folders, seen if seen is not None else {path.resolve()})


def _package(path: Path) -> str:
    """The ``# @package`` header of a preset file ('' without one), as Hydra reads it: in the comment lines at
    the top of the file."""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text = line.strip()
        if text and not text.startswith("#"):
            break
        if text.startswith("#") and text.lstrip("#").strip().startswith("@package"):
            return text.lstrip("#").strip().removeprefix("@package").strip()
    return ""


#: The Hydra settings a preset file may set (the package's experiments set these): where results go, as a
#: folder under outputs/, whether it is a sweep, and the sweep itself. Any other setting (callbacks, logging,
#: job environment, ...) would let a file run code or write elsewhere: it is the command line's to set.
FILE_HYDRA_SETTINGS = ("mode", "run.dir", "sweep.dir", "sweeper.params")
#: The Hydra groups a preset file's defaults may choose: the launcher, from the package's own presets or a
#: Hydra plugin (never a launcher file from another folder, which could name any Python callable).
FILE_HYDRA_GROUPS = ("hydra/launcher",)


def _check_hydra_section(group: str, path: Path, hydra: object) -> None:
    """A preset file's ``hydra:`` section sets only :data:`FILE_HYDRA_SETTINGS`; its folders stay under outputs/."""
    if hydra is None:
        return
    allowed = ", ".join(f"hydra.{k}" for k in FILE_HYDRA_SETTINGS)
    if not isinstance(hydra, dict):
        raise ConfigError(f"{group} file {str(path)!r}: hydra={hydra!r} is not a section; allowed: {allowed}")
    for place, value in _leaves(hydra):
        if not any(place == k or place.startswith(f"{k}.") for k in FILE_HYDRA_SETTINGS):
            raise ConfigError(f"{group} file {str(path)!r} sets hydra.{place}, a Hydra setting a file may not set "
                              f"(it could run code or write elsewhere); allowed: {allowed}; set others on the "
                              "command line")
        if place in ("run.dir", "sweep.dir") and not _inside_outputs(value):
            raise ConfigError(f"{group} file {str(path)!r}: hydra.{place}={value!r} is not a folder under "
                              "outputs/; allowed: outputs/<folder> (without .., with no interpolation but "
                              "${experiment.name} and ${now:...}); choose another "
                              f"folder on the command line (hydra.{place}=...)")
        if place == "mode" and str(value) not in ("RUN", "MULTIRUN"):
            raise ConfigError(f"{group} file {str(path)!r}: hydra.mode={value!r}; allowed: RUN or MULTIRUN")
        if place.startswith("sweeper.params.") and place.removeprefix("sweeper.params.").lstrip("+~").startswith(
                "hydra"):
            raise ConfigError(f"{group} file {str(path)!r}: hydra.{place} sweeps a Hydra setting; allowed: "
                              "sweeps of model keys and experiment.*")


def _leaves(node: dict, prefix: str = "") -> list[tuple[str, object]]:
    """The dotted places of a section's values (a sweep's parameters by their own dotted keys)."""
    out: list[tuple[str, object]] = []
    for k, v in node.items():
        place = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, dict) and place != "sweeper.params" and v:
            out.extend(_leaves(v, place))
        elif place == "sweeper.params" and isinstance(v, dict):
            out.extend((f"{place}.{key}", value) for key, value in v.items())
        else:
            out.append((place, v))
    return out


def _inside_outputs(value: object) -> bool:
    """Whether a folder a file gives is outputs/<something>: relative, without .., and no interpolation but the
    experiment's name (a checked name: no / or ..) and ``${now:...}``; a free text such as experiment.scheduler
    could climb out."""
    if not isinstance(value, str):
        return False
    if any(ref != "experiment.name" and not ref.startswith("now:") for ref in re.findall(r"\$\{([^}]*)\}", value)):
        return False
    parts = Path(value).parts
    return len(parts) >= 2 and parts[0] == "outputs" and ".." not in parts


def _check_defaults(group: str, path: Path, defaults: object, folders: Sequence[Path], seen: set[Path]) -> None:
    """A preset file's defaults, read as Hydra reads them (``optional override /group@package: option``, a list
    of options, or a plain ``group/option`` path): they choose Hydra groups only in :data:`FILE_HYDRA_GROUPS`,
    with options that are the package's own or a Hydra plugin's (never a file from another folder of the search
    path); they place nothing in Hydra's settings (``@hydra...``); and every preset they choose is checked as
    the file itself is, so a file cannot pass its Hydra settings on through another."""
    entries = defaults if isinstance(defaults, list) else []
    for entry in entries:
        if isinstance(entry, str):
            head, _, tail = entry.strip().lstrip("/").rpartition("/")
            pairs = [(head, tail)] if head else []
        elif isinstance(entry, dict):
            pairs = [(str(k), v) for k, v in entry.items()]
        else:
            continue
        for key, chosen in pairs:
            words = key.split()
            target, _, package = (words[-1] if words else "").lstrip("/").partition("@")
            if package.split(".")[0] == "hydra" or package.startswith("_global_.hydra"):
                raise ConfigError(f"{group} file {str(path)!r}: defaults place {target} in {package}, Hydra's "
                                  "settings; allowed: packages outside hydra")
            options = [str(o) for o in chosen] if isinstance(chosen, list) else [] if chosen is None else [str(chosen)]
            if target.startswith("hydra"):
                if target not in FILE_HYDRA_GROUPS:
                    raise ConfigError(f"{group} file {str(path)!r}: defaults choose {target}: {chosen}, a Hydra group "
                                      f"a file may not choose; allowed: {', '.join(FILE_HYDRA_GROUPS)}; choose it on "
                                      "the command line")
                for option in options:
                    outside = [f for f in folders[1:] if (f / target / f"{option}.yaml").is_file()]
                    if outside and not (CONFIG_DIR / target / f"{option}.yaml").is_file():
                        raise ConfigError(f"{group} file {str(path)!r}: defaults choose {target}: {option} from "
                                          f"{outside[0]}, outside the package; allowed: the package's launchers or "
                                          f"Hydra's plugins; choose it on the command line ({target}={option})")
                continue
            for option in options:
                chosen_path = _first_file(target, option, folders)
                if chosen_path is not None and chosen_path.resolve() not in seen:
                    seen.add(chosen_path.resolve())
                    _check_file(target, chosen_path, folders, seen)


#: The most values one sweep may list (a sweep of more is split into several, or made an experiment).
MAX_SWEEP_VALUES = 100_000


def _sweep_values(o: Override, folders: Sequence[Path] = ()) -> list[str]:
    """The values of a sweep override as texts (a,b / range() / choice() / glob()), at most
    :data:`MAX_SWEEP_VALUES`, counted before they are listed (``range(0,100000000)`` lists nothing)."""
    value = o.value()
    key, raw = o.key_or_group, _raw(o)
    if isinstance(value, Glob):  # the presets of a group whose names match, as Hydra's sweeper picks them
        if key not in GROUPS:
            raise ConfigError(f"{key}={raw}: glob() picks presets of a group ({', '.join(GROUPS)}); allowed for "
                              f"{key}: a list of values (a,b) or range(start,stop,step)")
        names = sorted({p.stem for f in folders for p in (Path(f) / key).glob("*.yaml")})
        return [str(v) for v in value.filter(names)]
    if isinstance(value, RangeSweep):
        start, stop = float(value.start or 0), float(value.stop or 0)
        step = 1.0 if value.step is None else float(value.step)
        if step == 0:
            raise ConfigError(f"{key}={raw} has a step of 0; allowed: range(start,stop,step) with a step that is "
                              "not 0")
        count = max(0, math.ceil((stop - start) / step))
        if count > MAX_SWEEP_VALUES:
            raise ConfigError(f"{key}={raw} sweeps {count:,} values; allowed: at most {MAX_SWEEP_VALUES:,} in one "
                              "sweep (split it into several)")
    try:
        values = [str(v) for v in o.sweep_string_iterator()]
    except (HydraException, ValueError, TypeError) as exc:
        raise ConfigError(f"{key}={raw} cannot be listed ({parse_problem(exc)}); allowed: {GRAMMAR}") from None
    if len(values) > MAX_SWEEP_VALUES:
        raise ConfigError(f"{key}={raw} sweeps {len(values):,} values; allowed: at most {MAX_SWEEP_VALUES:,} in one "
                          "sweep (split it into several)")
    return values


def _options(o: Override, folders: Sequence[Path] = ()) -> list[str]:
    """The presets a group override names (one, or each of a sweep)."""
    if o.is_sweep_override():
        return _sweep_values(o, folders)
    value = o.value()
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _raw(o: Override) -> str:
    """The value of an override as written."""
    return (o.input_line or "").partition("=")[2]


def _is_group(o: Override) -> bool:
    return o.key_or_group in GROUPS


def _line(o: Override, value: str | None = None) -> str:
    """An override as text, with one ``value`` in place of a sweep."""
    prefix = {"ADD": "+", "FORCE_ADD": "++", "DEL": "~"}.get(o.type.name, "")
    if value is None:
        return o.input_line or f"{prefix}{o.key_or_group}={o.get_value_string()}"
    return f"{prefix}{o.key_or_group}={value}"


def _check_posterior(config: Config, read: set[str]) -> None:
    """``experiment.posterior`` names a calibration's posterior that is there and sound: read and checked as every
    door reads one (:func:`sim.posterior.load_posterior`), once per path (``read``: the paths checked already)."""
    posterior = config.experiment.posterior
    if not posterior or posterior in read:
        return
    path = Path(posterior)
    found = path / "posterior.parquet" if path.is_dir() else path
    if not os.path.lexists(found):  # a link, a FIFO or a folder there: load_posterior says what it is
        why = "no posterior.parquet in that folder" if path.is_dir() else "no such file or folder"
        raise ConfigError(f"experiment.posterior={posterior!r}: {why}; allowed: an ABC calibration's folder (with "
                          "posterior.parquet) or its posterior.parquet")
    from sim.posterior import load_posterior  # lazy: pandas and pyarrow load only when a posterior is given

    load_posterior(posterior, key="experiment.posterior")
    read.add(posterior)


def _check_calibration(config: Config, model: Sequence[Override]) -> None:
    """An ABC calibration's command line (:mod:`sim.experiments.abc_settings`): no override it does not use (each
    pattern fixes its own scenario, design and parameters), a well-formed scheduler, a population scale at which
    every pattern's municipality has enough residents."""
    if is_calibration(config):
        check_command_line([(o.key_or_group, _line(o)) for o in model])
        check_run(config)
        check_settings_used(config)


def _number_in_range(key: str, value: str) -> None:
    meta = dict(iter_params())[key].metadata
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{key}={value} is not a whole number; allowed: {describe_range(key)}") from None
    if not meta["lo"] <= number <= meta["hi"]:
        raise ConfigError(f"{key}={value} is out of range; allowed: {describe_range(key)}")


def _sweeper_params(settings: DictConfig) -> list[Override]:
    """The sweep an experiment file declares (``hydra.sweeper.params``), parsed."""
    params = OmegaConf.select(settings, "sweeper.params")
    if not params:
        return []
    parser = OverridesParser.create()
    out = []
    for key, value in mapping(params, resolve=False).items():
        text = f"{key}={value!s}"
        check_override_length(text, "hydra.sweeper.params: ")
        try:
            out.extend(parser.parse_overrides([text]))
        except HydraException as exc:
            raise ConfigError(f"hydra.sweeper.params: {text} does not parse ({parse_problem(exc)}); "
                              f"allowed: {GRAMMAR}") from None
    return out


def check(argv: Sequence[str]) -> Config:
    """Check ``python -m sim``'s arguments as described in the module's docstring; the fixed values' Config.

    Raises ConfigError (one line: the key, the value, what is allowed) for anything wrong.
    """
    line = parse_command_line(argv)
    folders = _search_path(line)
    for o in line.overrides:
        if _is_group(o) and not o.is_delete():
            for option in _options(o, folders):
                path = preset_file(o.key_or_group, option, folders)
                if path is not None:
                    _check_file(o.key_or_group, path, folders)
    for o in line.overrides:
        if o.key_or_group.startswith("hydra.sweeper.params."):
            # Hydra reads citizens.fear_mean as nested keys under params (and cannot sweep its own settings):
            # the sweep of a key is given as the key itself
            key = o.key_or_group.removeprefix("hydra.sweeper.params.")
            raise ConfigError(f"{o.key_or_group}={_raw(o)} sets the sweeper's settings on the command line; allowed: "
                              f"the key itself, {key}={_raw(o).strip(QUOTES)} with -m")
        if o.key_or_group.startswith("hydra"):
            # Hydra's settings are the command line's own (where to write, which launcher), but a value is
            # never resolved from the environment: hydra.run.dir=${oc.env:TOKEN} would write the token
            calls = [c for c in resolver_calls(_raw(o)) if c not in ALLOWED_RESOLVERS]
            if calls:
                raise ConfigError(f"{o.key_or_group}={_raw(o)} calls the resolver {calls[0]}; allowed: plain "
                                  f"values and {', '.join(ALLOWED_RESOLVERS)}")
    model = [o for o in line.overrides if not o.key_or_group.startswith("hydra")]
    settings_given = [o for o in line.overrides if o.key_or_group.startswith("hydra")]
    fixed = [_line(o) for o in [*model, *settings_given] if not o.is_sweep_override()]
    node = compose_node(fixed, hydra_settings=True, config_dirs=line.config_dirs)
    with open_dict(node):
        settings = node.pop("hydra")
    config = to_config(node)
    posteriors: set[str] = set()
    _check_posterior(config, posteriors)
    _check_calibration(config, model)
    swept = [o for o in model if o.is_sweep_override()]
    multirun = line.multirun or str(OmegaConf.select(settings, "mode", default="RUN")) == "MULTIRUN"
    if swept and not multirun:
        raise ConfigError(f"{_line(swept[0])} gives several values to one run; allowed: one value, or -m before "
                          "the overrides to run one run per value (a sweep)")
    if multirun:  # Hydra names a job's folder after its overrides and logs them
        check_no_password_in_sweep([(o.key_or_group, _line(o)) for o in model])

    # as Hydra's basic sweeper does: the sweep an experiment file declares (hydra.sweeper.params), in which a
    # key the command line sets (swept or not) takes the command line's value
    given = {o.key_or_group for o in model}
    declared = [o for o in _sweeper_params(settings) if o.key_or_group not in given]
    sweeps = [*declared, *(o for o in model if o.is_sweep_override())]
    basic = "BasicSweeper" in str(OmegaConf.select(settings, "sweeper._target_", default=""))
    context = [*fixed]
    jobs = 1
    batches = {config.experiment.batch}  # the batches the sweep's jobs run
    for o in sweeps:
        key = o.key_or_group
        if o.is_interval_sweep():
            if basic:
                raise ConfigError(f"{key}={_raw(o)} is an interval, which the basic sweeper "
                                  "cannot run; allowed: a list of values (a,b), range(start,stop,step) or choice(a,b)")
            continue
        values = _sweep_values(o, folders) if o.is_sweep_override() else _options(o, folders)
        if not values:
            raise ConfigError(f"{key}={_raw(o)} has no values; allowed: {GRAMMAR}")
        jobs *= len(values)
        if jobs > MAX_SWEEP_VALUES:
            raise ConfigError(f"{key}={_raw(o)} makes the sweep {jobs:,} jobs or more; allowed: at most "
                              f"{MAX_SWEEP_VALUES:,} jobs in one sweep (split it into several)")
        if key == "experiment.batch":
            for value in values:
                if not value.isdigit() or int(value) >= config.experiment.batches:
                    raise ConfigError(f"experiment.batch={value} but experiment.batches={config.experiment.batches};"
                                      f" allowed: int in [0, {config.experiment.batches - 1}]")
            batches = {int(value) for value in values}
            continue
        if key in _NUMBERS:
            for value in values:
                _number_in_range(key, value)
            continue
        for value in values:
            if key in GROUPS:
                path = preset_file(key, value, folders)
                if path is not None:
                    _check_file(key, path, folders)
            one = _line(o, value)
            composed = to_config(compose_node([*context, one], config_dirs=line.config_dirs))
            _check_posterior(composed, posteriors)
            _check_calibration(composed, model)
    if multirun and not any(o.key_or_group == "experiment.batches" for o in sweeps):
        _check_batches(config, batches)
    return config


def _check_batches(config: Config, batches: set[int]) -> None:
    """A sweep whose jobs split the replicates into ``experiment.batches`` must run every batch: job b runs the
    replicates r with r % batches == b, so a batch left out leaves its share of every condition's replicates out,
    and gathering would summarise the others as if they were all (a tester's sweep gathered 2 runs of 4, exit 0)."""
    e = config.experiment
    missing = sorted(set(range(e.batches)) - batches)
    if e.kind not in IN_PROCESS_KINDS and missing:
        ran = ",".join(str(b) for b in sorted(batches))
        raise ConfigError(f"experiment.batch={ran} with experiment.batches={e.batches}: batch "
                          f"{', '.join(map(str, missing[:5]))}{', ...' if len(missing) > 5 else ''} would not run, and "
                          f"with it {len(missing)} in {e.batches} of each condition's replicates; allowed: "
                          f"experiment.batch=range(0,{e.batches}) (every batch), or experiment.batches=1")

