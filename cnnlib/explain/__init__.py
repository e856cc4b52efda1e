"""What a trained classifier looks at: saliency, occlusion and Grad-CAM.

* :func:`saliency` (Simonyan et al. 2014): the gradient of the class score
  (the logit, before softmax) with respect to the pixels, shaped like the
  input; :func:`saliency_map` reduces it to ``(H, W)`` for display.
* :func:`occlusion` (Zeiler & Fergus 2014): the drop in the class
  probability when a patch hides each region of the image.
* :func:`grad_cam` (Selvaraju et al. 2017): the feature maps of one layer,
  weighted by the score's average gradient on each, rectified and upsampled.

Each takes one image ``(C, H, W)`` or a batch ``(N, C, H, W)`` and a class
index (or one per image), and works on any ``Sequential`` classifier whose
output is ``(N, K)`` logits; a final ``Softmax`` layer is skipped, so the score
is still the logit. cnnlib classifiers end in ``Dense`` because ``CrossEntropy``
fuses the softmax into the loss.

**The model is left as it was.** The layers run one by one in eval mode
(batch norm uses its running statistics and updates nothing, dropout is
off and draws no random numbers), and afterwards every layer gets back its
mode, ``requires_input_grad``, forward cache and ``grads``: an explanation
between two training steps, in a callback for instance, changes nothing
that training reads.

>>> saliency_map(saliency(model, x[0], target=3)).shape
(28, 28)
"""
from .grad_cam_maps import GradCAMMap, grad_cam, upsample_bilinear
from .occlusion_maps import OcclusionMap, occlusion
from .saliency_maps import saliency, saliency_map

__all__ = ["GradCAMMap", "OcclusionMap", "grad_cam", "occlusion", "saliency", "saliency_map", "upsample_bilinear"]
