#pragma once
// The model zoo: architectures by name (make_model in model.hpp builds them).
//
// Every convolution is 3×3 with padding 1 unless stated (no bias in the ResNets: batch norm
// follows); every weight is Kaiming-normal
// (fan_in, gain √2), every bias zero, batch norm weight 1 / bias 0 (momentum 0.1, eps 1e-5).
// k = width_multiplier, C×H×W the input, K the classes. Parameter names are PyTorch state_dict
// names (the tests build the same modules in tests/engine/torch_reference.py).
//
//   mlp        flatten → fc1 (C·H·W → 512k) → ReLU → fc2 (512k → 512k) → ReLU → fc3 (→ K)
//   cnn-small  conv1 (C → 32k, bias) → ReLU → maxpool 2 → conv2 (32k → 64k, bias) → ReLU →
//              maxpool 2 → flatten (NCHW order) → fc (64k·⌊⌊H/2⌋/2⌋·⌊⌊W/2⌋/2⌋ → K)
//   resnet8, resnet20 (He et al. 2016, CIFAR): conv1 (C → 16k, no bias) → bn1 → ReLU →
//              layer1..3 of n BasicBlocks (n = 1 and 3) with 16k, 32k, 64k channels, stride 2
//              in the first block of layer2 and layer3 → global average pool → fc (64k → K)
//   resnet18   CIFAR stem: conv1 (C → 64k, no bias) → bn1 → ReLU (no max pool) → layer1..4 of 2
//              BasicBlocks with 64k, 128k, 256k, 512k channels, stride 2 at the start of
//              layer2..4 → global average pool → fc (512k → K)
//   BasicBlock (torchvision naming): out = ReLU(bn1(conv1(x))) with conv1 carrying the block's
//              stride; out = bn2(conv2(out)); shortcut = x, or downsample.1(downsample.0(x))
//              (1×1 convolution with the stride, no bias, then batch norm: option B) when the
//              stride or the channel count changes; y = ReLU(out + shortcut).
// Execution fuses without changing the function or its gradient: batch norm + ReLU and add +
// ReLU are single layers, and cnn-small's ReLU → max pool runs as max pool with a fused ReLU
// (max and ReLU commute; the gradient reaches the same element).
// Shape limits: cnn-small needs H, W ≥ 4; the ResNets take any H, W ≥ 1 (stride-2 stages round
// up: 28 → 14 → 7 → 4).
#include <string>
#include <vector>

#include "numerics/engine/model.hpp"
#include "numerics/engine/network.hpp"

namespace gradcert::engine {

// The architecture of a named model; throws gradcert::InputError for an unknown name or an input
// shape the model cannot take.
Architecture build_architecture(const ModelSpec& spec);

}  // namespace gradcert::engine
