package ai.tarka.kernels.quant;

import ai.tarka.kernels.Vec;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** Byte, short and int species with as many lanes as {@link Vec#F}, so one load converts into one float vector. */
final class QuantSpecies {
    private QuantSpecies() {}

    /** The block kernels are written for 8 or 16 float lanes (AVX2, AVX-512); other widths use the scalar paths. */
    static final boolean ENABLED = Vec.ENABLED && (Vec.L == 8 || Vec.L == 16);
    static final VectorSpecies<Byte> B = ENABLED ? ByteVector.SPECIES_64.length() == Vec.L ? ByteVector.SPECIES_64
            : VectorSpecies.of(byte.class, VectorShape.forBitSize(Vec.L * 8)) : ByteVector.SPECIES_64;
    static final VectorSpecies<Short> S = ENABLED ? VectorSpecies.of(short.class, VectorShape.forBitSize(Vec.L * 16))
            : ShortVector.SPECIES_64;
    static final VectorSpecies<Integer> I = ENABLED ? VectorSpecies.of(int.class, Vec.F.vectorShape())
            : IntVector.SPECIES_64;
    /**
     * The integer kernels against {@link Q8Activations} are written for 8 float lanes (AVX2: 16 bytes widen to 16
     * shorts, half a block); elsewhere {@link QuantMatVec#takesQ8Activations} keeps the float kernels, and with the
     * vector paths off the integer kernels run their plain loops.
     */
    static final boolean INT8_DOTS = ENABLED && Vec.L == 8;
    /** Bytes and shorts with twice {@link Vec#F}'s lanes: one load widens to shorts in the shape of {@link #I}. */
    static final VectorSpecies<Byte> B2 = ENABLED ? VectorSpecies.of(byte.class, VectorShape.forBitSize(Vec.L * 16))
            : ByteVector.SPECIES_64;
    static final VectorSpecies<Short> S2 = ENABLED ? VectorSpecies.of(short.class, Vec.F.vectorShape())
            : ShortVector.SPECIES_64;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
}
