package ai.tarka.kernels.norm;

/** Plain double-precision layer norm and RMS norm, forward and backward, over rows of length C. */
final class NormReference {
    private NormReference() {}

    /** Outputs of one reference pass: y, and the gradients for a given dout. */
    record Result(double[] y, double[] dx, double[] dw, double[] db) {}

    static Result layerNorm(float[] x, float[] w, float[] b, float[] dout, int n, int c, double eps) {
        double[] y = new double[n * c], dx = new double[n * c], dw = new double[c], db = new double[c];
        for (int r = 0; r < n; r++) {
            double mean = 0;
            for (int i = 0; i < c; i++) mean += x[r * c + i];
            mean /= c;
            double var = 0;
            for (int i = 0; i < c; i++) var += (x[r * c + i] - mean) * (x[r * c + i] - mean);
            var /= c;
            double rstd = 1 / Math.sqrt(var + eps);
            double[] xhat = new double[c];
            double meanDn = 0, meanDnX = 0;
            for (int i = 0; i < c; i++) {
                xhat[i] = (x[r * c + i] - mean) * rstd;
                y[r * c + i] = xhat[i] * w[i] + (b != null ? b[i] : 0);
                double dn = dout[r * c + i] * w[i];
                meanDn += dn / c;
                meanDnX += dn * xhat[i] / c;
                dw[i] += dout[r * c + i] * xhat[i];
                db[i] += dout[r * c + i];
            }
            for (int i = 0; i < c; i++) {
                double dn = dout[r * c + i] * w[i];
                dx[r * c + i] = rstd * (dn - meanDn - xhat[i] * meanDnX);
            }
        }
        return new Result(y, dx, dw, db);
    }

    static Result rmsNorm(float[] x, float[] w, float[] dout, int n, int c, double eps) {
        double[] y = new double[n * c], dx = new double[n * c], dw = new double[c];
        for (int r = 0; r < n; r++) {
            double ms = 0;
            for (int i = 0; i < c; i++) ms += (double) x[r * c + i] * x[r * c + i];
            ms /= c;
            double rstd = 1 / Math.sqrt(ms + eps);
            double dot = 0;
            for (int i = 0; i < c; i++) {
                double wi = w != null ? w[i] : 1;
                y[r * c + i] = x[r * c + i] * rstd * wi;
                dot += dout[r * c + i] * wi * x[r * c + i] * rstd;
                dw[i] += dout[r * c + i] * x[r * c + i] * rstd;
            }
            for (int i = 0; i < c; i++) {
                double wi = w != null ? w[i] : 1;
                double xhat = x[r * c + i] * rstd;
                dx[r * c + i] = rstd * (dout[r * c + i] * wi - xhat * dot / c);
            }
        }
        return new Result(y, dx, dw, null);
    }
}
