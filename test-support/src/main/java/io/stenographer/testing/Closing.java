package io.stenographer.testing;

/** Test teardown that closes every resource even when one fails, so one stuck process leaves none behind. */
public final class Closing {

    private Closing() {
    }

    /** Closes each non-null resource in order; a failure is printed with {@code label} and the next is closed. */
    public static void all(String label, AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                System.out.println(label + ": closing " + resource + " failed: " + e);
            }
        }
    }
}
