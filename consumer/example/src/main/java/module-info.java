/** An application that runs a vecgrad model: on the module path it needs no JVM flag. */
module com.example.predict {
    requires dev.vecgrad.train;
}
