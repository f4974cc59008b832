"""Mean loss, gradient and Hessian-vector products of a model over a set of examples, with the
engine's conventions (docs/engine.md; numerics/engine/probe.hpp):

- training-mode forward (batch norm uses batch statistics), but running statistics are never
  changed: every buffer is saved before and restored after (bit for bit);
- a quantity over a set of examples is the size-weighted mean over chunks of at most `chunk`
  examples, accumulated in float64 (for models without batch norm, the plain mean; with batch
  norm, the mean of batch-`chunk` quantities, the objective SGD samples);
- the loss is the mean cross-entropy (or the user's loss_fn, which must return a mean).
Vectors are flat float64 torch tensors over model.parameters() in order.
"""
import contextlib

import torch


def params_of(model):
    return [p for p in model.parameters() if p.requires_grad]


def flat(tensors):
    return torch.cat([t.reshape(-1).to(torch.float64) for t in tensors])


def unflat(vector, like):
    out, pos = [], 0
    for p in like:
        n = p.numel()
        out.append(vector[pos:pos + n].view_as(p).to(p.dtype))
        pos += n
    return out


@contextlib.contextmanager
def frozen_buffers(model):
    """Training mode with every buffer restored afterwards (probes never change the run)."""
    saved = [b.detach().clone() for b in model.buffers()]
    was_training = model.training
    model.train()
    try:
        yield
    finally:
        with torch.no_grad():
            for b, s in zip(model.buffers(), saved):
                b.copy_(s)
        model.train(was_training)


def _chunks(indices, chunk):
    for start in range(0, len(indices), chunk):
        yield indices[start:start + chunk]


def mean_loss(model, loss_fn, data, indices, chunk):
    """Mean training-mode loss over `indices` (float64), no gradient."""
    x, y = data
    total = 0.0
    with frozen_buffers(model), torch.no_grad():
        for part in _chunks(indices, chunk):
            total += float(loss_fn(model(x[part]), y[part])) * len(part)
    return total / len(indices)


def mean_gradient(model, loss_fn, data, indices, chunk):
    """(mean loss, flat float64 mean gradient) over `indices`, chunked as the engine does."""
    x, y = data
    params = params_of(model)
    grad = torch.zeros(sum(p.numel() for p in params), dtype=torch.float64)
    total = 0.0
    with frozen_buffers(model):
        for part in _chunks(indices, chunk):
            loss = loss_fn(model(x[part]), y[part])
            g = torch.autograd.grad(loss, params)
            grad += flat(g) * len(part)
            total += float(loss) * len(part)
    return total / len(indices), grad / len(indices)


def hessian_vector_product(model, loss_fn, data, indices, chunk, vector):
    """H v of the mean training-mode loss over `indices` by double backward (exact up to float
    rounding), chunked and size-weighted like mean_gradient."""
    x, y = data
    params = params_of(model)
    v = unflat(vector, params)
    hv = torch.zeros_like(vector)
    with frozen_buffers(model):
        for part in _chunks(indices, chunk):
            loss = loss_fn(model(x[part]), y[part])
            g = torch.autograd.grad(loss, params, create_graph=True)
            dot = sum((gi * vi).sum() for gi, vi in zip(g, v))
            hv += flat(torch.autograd.grad(dot, params)) * len(part)
    return hv / len(indices)


def get_params(model):
    return flat([p.detach() for p in params_of(model)])


def set_params(model, vector):
    with torch.no_grad():
        for p, v in zip(params_of(model), unflat(vector, params_of(model))):
            p.copy_(v)
