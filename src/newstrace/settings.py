"""One typed settings object, with a default and help for every field."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from .errors import ConfigError


def _f(default, help: str, low=None, high=None):
    from dataclasses import field

    return field(default=default, metadata={"help": help, "low": low, "high": high})


@dataclass(frozen=True)
class Settings:
    """Tunable limits and thresholds. ``Settings().with_(max_bytes=...)`` for a variant."""

    max_bytes: int = _f(
        2_000_000, "Largest input file or text accepted, in bytes (refused above).", 1, 10**10
    )
    semantic: str = _f(
        "auto",
        "Embedding model for unmatched sentences: 'off', 'on' (needs [multilingual]), "
        "or 'auto' (on when installed and the languages differ; within one language, "
        "when installed, only for paraphrases in the gaps of the alignment).",
    )
    verbatim_min: float = _f(
        0.97, "Token-overlap score at or above which a match is verbatim.", 0, 1
    )
    near_verbatim_min: float = _f(0.80, "Score at or above which a match is near-verbatim.", 0, 1)
    paraphrase_min: float = _f(
        0.42, "Lexical (stem-weighted) score at or above which a match is a paraphrase.", 0, 1
    )
    semantic_min: float = _f(
        0.87, "Embedding cosine at or above which a cross-language match is a paraphrase.", 0, 1
    )
    same_story_min: float = _f(
        0.65, "Same-story score at or above which A and B are one story.", 0, 1
    )
    wholly_min: float = _f(
        0.90, "Share of the derivative from the source at which it is wholly derived.", 0, 1
    )
    partially_min: float = _f(
        0.20, "Share of the derivative from the source at which it is partially derived.", 0, 1
    )
    drift_min_confidence: float = _f(
        0.2,
        "Drift changes below this confidence are left out (0 keeps every candidate); "
        "below 0.5 they are shown as cosmetic.",
        0,
        1,
    )
    shingle_size: int = _f(3, "Words per shingle for fingerprints.", 1, 10)
    num_perm: int = _f(128, "MinHash permutations (a multiple of lsh_bands).", 16, 1024)
    lsh_bands: int = _f(32, "LSH bands; rows per band = num_perm / lsh_bands.", 1, 512)
    seed: int = _f(1, "Seed of the MinHash permutations.", 0, 2**31 - 1)

    def __post_init__(self) -> None:
        for f in fields(self):
            low, high = f.metadata.get("low"), f.metadata.get("high")
            value = getattr(self, f.name)
            if low is not None and not (low <= value <= high):
                raise ConfigError(f"{f.name} must be between {low} and {high}, got {value!r}")
        if self.semantic not in ("off", "on", "auto"):
            raise ConfigError(f"semantic must be 'off', 'on' or 'auto', got {self.semantic!r}")
        if self.num_perm % self.lsh_bands:
            raise ConfigError(
                f"num_perm ({self.num_perm}) must be a multiple of lsh_bands ({self.lsh_bands})"
            )

    def with_(self, **changes) -> Settings:
        """Return a validated copy with ``changes`` applied."""
        return replace(self, **changes)


DEFAULT = Settings()


def describe() -> list[tuple[str, object, str]]:
    """Return (name, default, help) for every setting, for docs and --help."""
    return [(f.name, f.default, f.metadata["help"]) for f in fields(Settings)]
