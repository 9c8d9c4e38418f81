/**
 * MJCF of the double inverted pendulum (Gymnasium's `inverted_double_pendulum.xml`): a cart on a rail
 * (slide ±1 m, margin 0.01) carrying two 0.6 m capsule poles on unlimited hinges, a `tip` site at the end
 * of the second pole, one motor on the slider (gear 500, control ±1), RK4 at 10 ms, a tiny x-gravity
 * (1e-5) that breaks the symmetry. Same bodies, joints, geoms and options; visuals omitted.
 */
export const INVERTED_DOUBLE_PENDULUM_MJCF = `
<mujoco model="inverted_double_pendulum">
  <compiler inertiafromgeom="true"/>
  <option timestep="0.01" integrator="RK4" gravity="1e-5 0 -9.81"/>
  <default>
    <joint damping="0.05"/>
    <geom contype="0" friction="1 0.1 0.1"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" size="40 40 40" pos="0 0 -3.0"/>
    <geom name="rail" type="capsule" size="0.02 1" pos="0 0 0" quat="0.707 0 0.707 0"/>
    <body name="cart" pos="0 0 0">
      <joint name="slider" type="slide" axis="1 0 0" pos="0 0 0" limited="true" range="-1 1" margin="0.01"/>
      <geom name="cart" type="capsule" size="0.1 0.1" pos="0 0 0" quat="0.707 0 0.707 0"/>
      <body name="pole" pos="0 0 0">
        <joint name="hinge" type="hinge" axis="0 1 0" pos="0 0 0"/>
        <geom name="cpole" type="capsule" size="0.045 0.3" fromto="0 0 0 0 0 0.6"/>
        <body name="pole2" pos="0 0 0.6">
          <joint name="hinge2" type="hinge" axis="0 1 0" pos="0 0 0"/>
          <geom name="cpole2" type="capsule" size="0.045 0.3" fromto="0 0 0 0 0 0.6"/>
          <site name="tip" pos="0 0 .6" size="0.01 0.01"/>
        </body>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor name="slide" joint="slider" gear="500" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
</mujoco>
`;
