"""The spiking pieces of the PyTorch peers, written the way snnTorch runs a network: one call per
timestep, the membrane carried in a Python loop. Same neuron as neurite's `lif_scan`:
h_t = β·v_{t−1} + x_t, s_t = H(h_t − θ), v_t = h_t − s_t·θ (gradient through the reset),
fast-sigmoid surrogate 1 / (1 + slope·|z|)²."""
import torch


class FastSigmoidSpike(torch.autograd.Function):
    @staticmethod
    def forward(ctx, z, slope):
        ctx.save_for_backward(z)
        ctx.slope = slope
        return (z > 0).to(z.dtype)

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return grad / (ctx.slope * z.abs() + 1) ** 2, None


def lif_step(x, v, beta, threshold, slope):
    """One step of a LIF layer: returns (spikes, carried post-reset membrane)."""
    h = beta * v + x
    s = FastSigmoidSpike.apply(h - threshold, slope)
    return s, h - s * threshold


def single_thread():
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set in this process


def torch_device(a):
    """The device named by the `device` argument ("cpu" by default, "cuda" for the GPU workloads) and the
    function that waits for it. CPU runs stay on one thread; a missing GPU exits with the reason."""
    name = a.get("device", "cpu")
    if name == "cpu":
        single_thread()
        return torch.device("cpu"), None
    if not torch.cuda.is_available():
        raise SystemExit(f"torch {torch.__version__} sees no CUDA device")
    return torch.device(name), torch.cuda.synchronize


def device_label(device):
    if device.type == "cpu":
        return "1 thread"
    return f"{torch.cuda.get_device_name(device)}, fp32"
