package io.dentryguard.probe.detector.offender;

import java.time.Duration;

/**
 * Settings of offender scoring.
 *
 * @param window               the recent window growth is measured over
 * @param bytesPerDentry       kernel memory charged per negative dentry (measured: 200)
 * @param bytesPerInode        kernel memory a new file costs besides its dentry (inode, ~1 KB on ext4)
 * @param minimumBytes         node negative-dentry memory below which nobody is blamed (noise)
 * @param minimumIntervalBytes an interval with fewer new negatives' bytes than this is not a flood interval
 * @param highShare            share of that memory a cgroup must explain for High
 * @param mediumShare          ... for Medium
 * @param realFileRatio        when new files' memory exceeds this fraction of the negatives', growth
 *                             cannot be told apart per cgroup, and confidence stops at Medium
 * @param minimumShare         offenders below this share are not listed
 * @param topK                 offenders listed and exported as metrics
 */
public record OffenderConfig(Duration window, long bytesPerDentry, long bytesPerInode, long minimumBytes,
                             long minimumIntervalBytes, double highShare,
                             double mediumShare, double realFileRatio, double minimumShare, int topK) {

    public OffenderConfig {
        if (window.isNegative() || window.isZero() || bytesPerDentry < 1 || bytesPerInode < 0 || minimumBytes < 1
                || minimumIntervalBytes < 0
                || !(mediumShare > 0 && mediumShare <= highShare && highShare <= 1) || realFileRatio < 0
                || minimumShare < 0 || topK < 1) {
            throw new IllegalArgumentException("invalid offender settings: " + window + ", " + bytesPerDentry + ", "
                    + bytesPerInode + ", " + minimumBytes + ", " + highShare + ", " + mediumShare + ", " + realFileRatio
                    + ", " + minimumShare + ", " + topK);
        }
    }

    public static OffenderConfig defaults() {
        // High needs 60%: two equal writers (50% each) are Medium, one flooder among quiet pods ~100%.
        return new OffenderConfig(Duration.ofSeconds(60), 200, 1000, 64L << 20, 1L << 20, 0.6, 0.2, 0.25, 0.05, 5);
    }

    public OffenderConfig withTopK(int k) {
        return new OffenderConfig(window, bytesPerDentry, bytesPerInode, minimumBytes, minimumIntervalBytes, highShare, mediumShare,
                realFileRatio,
                minimumShare, k);
    }
}
