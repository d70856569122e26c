"""Classic generative deep learning on fastai: character-level text generation, DeepDream and neural style transfer

Modules:

- `gendl.uses`: The same character model, unchanged, learns the grammar of chemistry and of music: corpora of items, sampling whole items, and judging what comes out."""

__version__ = "0.0.1"
