"""Configuration: the parameter catalogue and everything that turns presets and overrides into it.

- ``schema.py``: the dataclasses, one field per parameter with its range, unit and source;
- ``keys.py``: dotted keys, their ranges, ``with_values`` and ``validate`` (``ConfigError``);
- ``compose.py``: the presets (``CONFIG_DIR``) composed with overrides into a validated config;
- ``municipality.py``: a municipality described in a file, as overrides of the generic scenario;
- ``params_doc.py``: ``docs/parameters.md``, generated from the schema and the presets.

Import a name from the module that holds it (``from sim.config.schema import Config``): this
namespace re-exports nothing, so that every name has one home.
"""
