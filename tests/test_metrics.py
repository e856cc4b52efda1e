import numpy as np
import pytest

from cnnlib.metrics import confusion_matrix, most_confused_pairs


def test_confusion_matrix_counts_rows_true_columns_predicted():
    cm = confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 0], num_classes=3)
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 1, 0], [2, 0, 1]])
    assert cm.sum(axis=1).tolist() == [2, 1, 3]
    assert cm.trace() / cm.sum() == pytest.approx(0.5)


def test_confusion_matrix_infers_num_classes_and_checks_labels():
    assert confusion_matrix([0, 3], [3, 3]).shape == (4, 4)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\).*num_classes"):
        confusion_matrix([0, 2], [0, 1], num_classes=2)
    with pytest.raises(ValueError, match="argmax"):
        confusion_matrix(np.zeros((3, 10)), [0, 1, 2])
    with pytest.raises(ValueError, match="same length, got 2 and 3"):
        confusion_matrix([0, 1], [0, 1, 1])


def test_most_confused_pairs_skips_the_diagonal_and_breaks_ties_in_row_order():
    cm = np.array([[50, 3, 7], [7, 40, 0], [1, 0, 60]])
    assert most_confused_pairs(cm, k=3) == [(0, 2, 7), (1, 0, 7), (0, 1, 3)]
    assert most_confused_pairs(np.eye(3, dtype=int) * 5, k=2) == []
    with pytest.raises(ValueError, match="square"):
        most_confused_pairs(np.zeros((2, 3)))
