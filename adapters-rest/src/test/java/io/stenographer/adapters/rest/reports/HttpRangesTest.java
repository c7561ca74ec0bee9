package io.stenographer.adapters.rest.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.adapters.rest.reports.HttpRanges.Single;
import io.stenographer.adapters.rest.reports.HttpRanges.Unsatisfiable;
import io.stenographer.adapters.rest.reports.HttpRanges.Whole;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validators and byte ranges as RFC 9110 defines them, for a file of 1,000 bytes. */
class HttpRangesTest {

    private static final String TAG = HttpRanges.entityTag("ab".repeat(32));
    private static final long SIZE = 1000;

    private static HttpRanges.Ranged range(String header) {
        return HttpRanges.ranged(List.of(header), null, TAG, SIZE);
    }

    @Test
    void singleRangesOfEveryShape() {
        assertThat(range("bytes=0-99")).isEqualTo(new Single(0, 99));
        assertThat(range("bytes=990-")).isEqualTo(new Single(990, 999));
        assertThat(range("bytes=-10")).isEqualTo(new Single(990, 999));
        assertThat(range("bytes=-5000")).as("a suffix longer than the file is all of it").isEqualTo(new Single(0, 999));
        assertThat(range("bytes=500-5000")).as("an end past the file is cut").isEqualTo(new Single(500, 999));
        assertThat(range("BYTES = 1-1")).isEqualTo(new Single(1, 1));
        assertThat(new Single(0, 99).length()).isEqualTo(100);
    }

    @Test
    void unsatisfiableRanges() {
        assertThat(range("bytes=1000-")).isInstanceOf(Unsatisfiable.class);
        assertThat(range("bytes=5000-6000")).isInstanceOf(Unsatisfiable.class);
        assertThat(range("bytes=-0")).isInstanceOf(Unsatisfiable.class);
        assertThat(HttpRanges.ranged(List.of("bytes=0-0"), null, TAG, 0)).isInstanceOf(Unsatisfiable.class);
    }

    @Test
    void whatIsIgnoredServesTheWholeFile() {
        for (String ignored : new String[] {"bytes=0-1,5-6", "items=0-1", "bytes=5-1", "bytes=x-1", "bytes=",
                "bytes=-", "0-1", "bytes=99999999999999999999-", "bytes=1-2,"}) {
            assertThat(range(ignored)).as(ignored).isInstanceOf(Whole.class);
        }
        assertThat(HttpRanges.ranged(null, null, TAG, SIZE)).isInstanceOf(Whole.class);
        assertThat(HttpRanges.ranged(List.of("bytes=0-1", "bytes=2-3"), null, TAG, SIZE)).isInstanceOf(Whole.class);
    }

    @Test
    void ifRangeAppliesTheRangeOnlyForOurStrongTag() {
        assertThat(HttpRanges.ranged(List.of("bytes=0-9"), TAG, TAG, SIZE)).isEqualTo(new Single(0, 9));
        assertThat(HttpRanges.ranged(List.of("bytes=0-9"), "\"other\"", TAG, SIZE)).isInstanceOf(Whole.class);
        assertThat(HttpRanges.ranged(List.of("bytes=0-9"), "W/" + TAG, TAG, SIZE)).isInstanceOf(Whole.class);
        assertThat(HttpRanges.ranged(List.of("bytes=0-9"), "Wed, 21 Oct 2015 07:28:00 GMT", TAG, SIZE))
                .as("a date is never our validator").isInstanceOf(Whole.class);
    }

    @Test
    void ifNoneMatchComparesWeaklyAndIfMatchStrongly() {
        assertThat(HttpRanges.noneMatchFails(List.of(TAG), TAG)).isTrue();
        assertThat(HttpRanges.noneMatchFails(List.of("\"x\", W/" + TAG), TAG)).isTrue();
        assertThat(HttpRanges.noneMatchFails(List.of("*"), TAG)).isTrue();
        assertThat(HttpRanges.noneMatchFails(List.of("\"x\""), TAG)).isFalse();
        assertThat(HttpRanges.noneMatchFails(null, TAG)).isFalse();

        assertThat(HttpRanges.matchFails(null, TAG)).isFalse();
        assertThat(HttpRanges.matchFails(List.of(TAG), TAG)).isFalse();
        assertThat(HttpRanges.matchFails(List.of("*"), TAG)).isFalse();
        assertThat(HttpRanges.matchFails(List.of("W/" + TAG), TAG)).isTrue();
        assertThat(HttpRanges.matchFails(List.of("\"x\""), TAG)).isTrue();
    }
}
