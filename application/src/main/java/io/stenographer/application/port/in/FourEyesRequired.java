package io.stenographer.application.port.in;

/** The one who proposed shortening or retiring a policy tried to approve it too; a different compliance admin must. */
public class FourEyesRequired extends RuntimeException {

    public FourEyesRequired(String message) {
        super(message);
    }
}
