"""gradcert_probe: gradcert's gradient-noise, curvature, sharpness and tail probes for a PyTorch
training loop, writing gradcert's run format (docs/run-format.md). See python/README.md."""
from .engine_checkpoint import read_checkpoint
from .hessian import hutchinson_trace, lanczos_density, power_iteration
from .noise import gradient_noise, momentum_delta, noise_from_samples, noise_scale
from .probe import DEFAULTS, Probe
from .run_writer import (EPOCH_COLUMNS, FORMAT, RunFormatError, RunWriter, read_epochs,
                         read_manifest)
from .sharpness import adaptive_sharpness, epsilon_sharpness
from .tail import tail_index

__all__ = ["Probe", "DEFAULTS", "RunWriter", "RunFormatError", "read_manifest", "read_epochs",
           "FORMAT", "EPOCH_COLUMNS", "read_checkpoint", "gradient_noise", "noise_from_samples",
           "momentum_delta", "noise_scale", "power_iteration", "hutchinson_trace",
           "lanczos_density", "epsilon_sharpness", "adaptive_sharpness", "tail_index"]
__version__ = "0.1.0"
