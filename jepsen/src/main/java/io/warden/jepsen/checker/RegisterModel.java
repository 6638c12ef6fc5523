package io.warden.jepsen.checker;

/**
 * The sequential specification of a register, over value ids: id {@link #NIL} is "never written"
 * (a read of it returns null), other ids stand for distinct written values. Pure and stateless.
 *
 * <p>An indeterminate cas that could not apply is refused rather than modelled as a no-op: leaving
 * it out of the linearization (it "never happened") covers that case, and keeping states single
 * values keeps the search's memo small.
 */
final class RegisterModel {
    /** The value of a register never written. */
    static final int NIL = 0;
    /** {@link #step}'s answer when the op cannot happen in this state. */
    static final int REFUSED = -1;

    private RegisterModel() {}

    /** The state after {@code op} in {@code state}, or {@link #REFUSED}. */
    static int step(int state, RegisterOp op) {
        return switch (op.kind()) {
            case READ -> op.expected() == state ? state : REFUSED;
            case WRITE -> op.written();
            case CAS -> op.expected() == state ? op.written() : REFUSED;
        };
    }
}
