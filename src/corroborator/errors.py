"""The library's exceptions. Third-party errors are mapped to these once, where they enter.

CorroboratorError
├── InputError            a file or record that cannot be read as an article (one line, names it)
│   ├── UnsupportedFormat
│   ├── TooLarge
│   ├── EmptyInput
│   ├── BinaryInput
│   └── MalformedInput    truncated or invalid JSON / HTML / XML / WARC
├── StoreError            the database refused or is not a corroborator store
├── ModelError            a model package is missing or changed
├── MissingExtra          an optional part is not installed (message gives the pip command)
└── NotFound              an article or story id that is not in the store
"""

from __future__ import annotations


class CorroboratorError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(CorroboratorError):
    """An input that cannot become an Article. ``str(err)`` is one line: ``PATH: problem``."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class UnsupportedFormat(InputError):
    pass


class TooLarge(InputError):
    pass


class EmptyInput(InputError):
    pass


class BinaryInput(InputError):
    pass


class MalformedInput(InputError):
    pass


class StoreError(CorroboratorError):
    pass


class ModelError(CorroboratorError):
    pass


class MissingExtra(CorroboratorError):
    def __init__(self, extra: str, feature: str) -> None:
        self.extra = extra
        super().__init__(f"{feature} needs the '{extra}' extra: pip install 'corroborator[{extra}]'")


class NotFound(CorroboratorError):
    pass
