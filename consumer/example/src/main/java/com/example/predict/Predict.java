package com.example.predict;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.Npy;
import dev.vecgrad.train.Model;
import java.nio.file.Path;
import java.util.Arrays;

/** Prints the class a saved model predicts for each row of an {@code .npy} file. */
public final class Predict {
    /** Arguments: the saved model's directory, then the {@code .npy} file of inputs. */
    public static void main(String[] args) throws Exception {
        Model model = Model.load(Path.of(args[0]));   // a directory model.save or `vecgrad train --save` wrote
        Tensor images = Npy.read(Path.of(args[1]));    // e.g. F32 [n, 28, 28, 1]
        Tensor logits = model.predict(images, 256);    // one loaded model may serve many threads at once
        System.out.println(Arrays.toString(logits.argmax(1).toIntArray()));
    }
}
